import type { DatasourceConfig, DatasourcePlugin } from '../../api';

/**
 * A stored secret is bound to what it authenticates: the plugin and its target (user@host:port/database, a REST
 * origin and auth kind). A connection whose target changed — a shared settings file edited, another workspace
 * declaring the same name, an edit or an import — never receives a secret saved for the old target.
 */
export interface SecretTarget {
  /** Compared for equality; includes the plugin id so a changed type is a changed target. */
  key: string;
  /** Shown to the user when asked ("app@db.example.com:5432/shop"). Never holds a secret. */
  label: string;
}

interface Binding {
  target: string;
  secrets: Record<string, string>;
}

/** What one SecretStorage entry holds. `legacy`: an entry written before binding existed (no target recorded). */
export interface SecretEntry {
  bindings: Binding[];
  legacy?: Record<string, string>;
}

/**
 * A declared connection's name can be reused by several workspaces on different hosts; each keeps its own binding,
 * up to this many, so switching between them does not ask every time. The oldest is dropped first.
 */
const MAX_BINDINGS = 8;

export function secretTarget(plugin: DatasourcePlugin, config: DatasourceConfig): SecretTarget {
  let label: string | undefined;
  try {
    label = plugin.secretTarget?.(config);
  } catch {
    // A config the plugin cannot read will not connect either; binding to all of it is the safe answer.
  }
  if (typeof label !== 'string' || label === '') label = wholeConfig(plugin, config);
  return { key: `${plugin.id} ${label}`, label };
}

/** Without a declaration every non-secret setting counts: asking too often is better than sending too far. */
function wholeConfig(plugin: DatasourcePlugin, config: DatasourceConfig): string {
  const secret = new Set(plugin.configFields.filter((f) => f.secret || f.type === 'password').map((f) => f.key));
  const kept = Object.keys(config)
    .filter((k) => !secret.has(k))
    .sort()
    .map((k) => [k, config[k]]);
  return JSON.stringify(Object.fromEntries(kept));
}

const isRecordOfStrings = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

export function parseEntry(raw: string | undefined): SecretEntry {
  if (!raw) return { bindings: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // A damaged entry is as good as none: the user is asked again instead of the datasource failing to open.
    return { bindings: [] };
  }
  if (typeof parsed !== 'object' || parsed === null) return { bindings: [] };
  const bindings = (parsed as { bindings?: unknown }).bindings;
  if (Array.isArray(bindings)) {
    return {
      bindings: bindings.filter((b): b is Binding => typeof b?.target === 'string' && isRecordOfStrings(b?.secrets)),
    };
  }
  return isRecordOfStrings(parsed) && Object.keys(parsed).length > 0 ? { bindings: [], legacy: parsed } : { bindings: [] };
}

export function secretsFor(entry: SecretEntry, target: SecretTarget): Record<string, string> | undefined {
  return entry.bindings.find((b) => b.target === target.key)?.secrets;
}

/** `keepOthers`: declared connections keep bindings for other targets (other workspaces); stored ones do not. */
export function bind(entry: SecretEntry, target: SecretTarget, secrets: Record<string, string>, keepOthers: boolean): string {
  const others = keepOthers ? entry.bindings.filter((b) => b.target !== target.key).slice(-(MAX_BINDINGS - 1)) : [];
  return JSON.stringify({ bindings: [...others, { target: target.key, secrets }] });
}
