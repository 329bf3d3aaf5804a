// The Plugins view (Nocoflo: Manage Plugins…): its messages between the webview and the host. The view only asks;
// the host checks the message's shape here, then the user's right to manage plugins and the configuration against
// the plugin's declared schema, before anything is stored.
import type { PluginInfo, PluginManifest } from '../api';
import { bare, cancelCommand, type CancelMessage, type ParsedMessage, parseMessage, type RequestOf } from './rpc';
import { bool, type Check, object, str } from './validate';

/** One plugin as the view lists it. */
export interface PluginRow extends PluginInfo, Pick<PluginManifest, 'description'> {
  /** The plugin's declared configuration schema (PluginManifest.configSchema) as plain JSON, shown as help. */
  configSchema?: unknown;
  /** The stored configuration as indented JSON text ("{}" when none was stored). */
  configText: string;
}

export interface PluginsViewState {
  plugins: PluginRow[];
  /** Whether this user may enable, disable and configure plugins; when not, `manageReason` says why. */
  canManage: boolean;
  manageReason?: string;
}

export interface PluginsRequests {
  setEnabled: { params: { pluginId: string; enabled: boolean }; result: { message: string } };
  saveConfig: { params: { pluginId: string; text: string }; result: { message: string } };
}
export type PluginsMethod = keyof PluginsRequests;

export type PluginsCommand = { type: 'ready' };
export type FromPluginsView = PluginsCommand | CancelMessage | RequestOf<PluginsRequests>;

export type PluginsNotification = { type: 'state'; state: PluginsViewState };

/** A stored configuration is at most this long as JSON text. */
export const MAX_CONFIG_CHARS = 256 * 1024;

const pluginId = str(200);
const PARAMS: Record<PluginsMethod, Check> = {
  setEnabled: object({ pluginId, enabled: bool }),
  saveConfig: object({ pluginId, text: str(MAX_CONFIG_CHARS) }),
};

/** Checks a message from the Plugins webview before the host acts on it. */
export const parseFromPluginsView = (raw: unknown): ParsedMessage<FromPluginsView> =>
  parseMessage<FromPluginsView>(raw, { requests: PARAMS, commands: { ready: bare('ready'), cancel: cancelCommand } });
