// The Plugins view: one card per plugin (built-in or from another extension) with its kind, versions, contributing
// extension and state, an Enabled switch, and its configuration as JSON text checked by the host against the
// plugin's declared schema. The host re-sends the whole list after every change, so the cards always show what is
// stored; only unsaved configuration drafts live here (and in the webview state, so a hidden tab keeps them).
import type { PluginRow, PluginsMethod, PluginsNotification, PluginsRequests, PluginsViewState } from '../../shared/pluginsProtocol';
import type { RpcClient } from '../../shared/rpcClient';
import { type RequestError, startToolClient, type ToolHost } from '../shared/toolClient';
import { button, codicon, el } from '../shared/dom';


interface SavedState {
  drafts: Record<string, string>;
}

type Control = HTMLElement & { value: string; checked: boolean };

const STATE_LABEL: Record<PluginRow['state'], string> = { active: 'Active', disabled: 'Disabled', failed: 'Failed' };

export class PluginsApp {
  private state?: PluginsViewState;
  private readonly drafts: Record<string, string>;
  private readonly messages = new Map<string, { kind: 'ok' | 'error'; text: string; problems?: string[] }>();
  private readonly client: RpcClient<PluginsRequests>;

  constructor(
    private readonly host: ToolHost,
    private readonly root: HTMLElement,
  ) {
    this.drafts = { ...((host.getState() as SavedState | undefined)?.drafts ?? {}) };
    root.textContent = 'Loading plugins…';
    this.client = startToolClient<PluginsRequests, PluginsNotification>(host, (message) => this.receive(message));
  }

  private receive(message: PluginsNotification): void {
    this.state = message.state;
    this.render();
  }

  private request<M extends PluginsMethod>(method: M, params: PluginsRequests[M]['params']): Promise<PluginsRequests[M]['result']> {
    return this.client.request(method, params);
  }

  private remember(): void {
    this.host.setState({ drafts: this.drafts } satisfies SavedState);
  }

  private render(): void {
    const state = this.state!;
    const scroll = document.scrollingElement?.scrollTop ?? 0;
    const page = el('div', 'plugins-page');
    page.append(el('h1', 'plugins-title', 'Plugins'));
    page.append(
      el(
        'p',
        'plugins-intro',
        'Every datasource and view in Nocoflo is a plugin. Disabling one takes effect at once: a disabled view is no longer offered in Open as… or Switch View…, and a disabled datasource closes its connections.',
      ),
    );
    if (!state.canManage) {
      const banner = el('div', 'plugins-banner');
      banner.append(codicon('lock'), el('span', undefined, ` ${state.manageReason ?? 'You may not manage plugins.'}`));
      page.append(banner);
    }
    for (const kind of ['datasource', 'view'] as const) {
      const plugins = state.plugins.filter((p) => p.kind === kind);
      if (plugins.length === 0) continue;
      page.append(el('h2', 'plugins-section', kind === 'datasource' ? 'Datasources' : 'Views'));
      for (const plugin of plugins) page.append(this.card(plugin, state.canManage));
    }
    this.root.replaceChildren(page);
    if (document.scrollingElement) document.scrollingElement.scrollTop = scroll;
  }

  private card(plugin: PluginRow, canManage: boolean): HTMLElement {
    const card = el('section', `plugin-card state-${plugin.state}`);
    card.dataset.pluginId = plugin.id;

    const head = el('div', 'plugin-head');
    head.append(codicon(plugin.kind === 'datasource' ? 'database' : 'preview'), el('span', 'plugin-name', plugin.displayName), el('span', 'plugin-id', plugin.id));
    const badge = el('span', `plugin-state ${plugin.state}`, STATE_LABEL[plugin.state]);
    head.append(badge);
    const toggle = document.createElement('vscode-checkbox') as unknown as Control;
    toggle.className = 'plugin-enabled';
    toggle.setAttribute('toggle', '');
    toggle.setAttribute('label', 'Enabled');
    toggle.checked = plugin.enabled;
    toggle.toggleAttribute('disabled', !canManage);
    toggle.addEventListener('change', () => void this.setEnabled(plugin, toggle.checked));
    head.append(toggle);
    card.append(head);

    const facts = [
      plugin.kind === 'datasource' ? 'Datasource' : 'View',
      `version ${plugin.version}`,
      `API ${plugin.apiVersion}`,
      plugin.builtIn ? 'built into Nocoflo' : `from ${plugin.extensionId ?? 'another extension'}`,
    ];
    card.append(el('div', 'plugin-facts', facts.join(' · ')));
    if (plugin.description) card.append(el('div', 'plugin-description', plugin.description));
    if (plugin.error) {
      const error = el('div', 'plugin-error');
      error.append(codicon('error'), el('span', undefined, ` ${plugin.error}`));
      card.append(error);
    }

    card.append(this.configEditor(plugin, canManage));
    return card;
  }

  private configEditor(plugin: PluginRow, canManage: boolean): HTMLElement {
    const box = el('details', 'plugin-config');
    const draft = this.drafts[plugin.id];
    const message = this.messages.get(plugin.id);
    // Open when there is something to see: a schema, a stored config, an unsaved draft or a message about it.
    if (plugin.configSchema !== undefined || plugin.configText !== '{}' || draft !== undefined || message) box.open = true;
    box.append(el('summary', 'plugin-config-title', plugin.configSchema !== undefined ? 'Configuration' : 'Configuration (no schema declared)'));
    const text = document.createElement('vscode-textarea') as unknown as Control;
    text.className = 'plugin-config-text';
    text.setAttribute('rows', String(Math.min(14, Math.max(3, (draft ?? plugin.configText).split('\n').length + 1))));
    text.setAttribute('aria-label', `Configuration of ${plugin.displayName} (JSON)`);
    text.value = draft ?? plugin.configText;
    text.toggleAttribute('disabled', !canManage);
    text.addEventListener('input', () => {
      if (text.value === plugin.configText) delete this.drafts[plugin.id];
      else this.drafts[plugin.id] = text.value;
      this.remember();
    });
    const actions = el('div', 'plugin-config-actions');
    const save = button('Save Configuration', 'save', () => void this.saveConfig(plugin, text.value), { secondary: false });
    save.classList.add('plugin-save');
    save.toggleAttribute('disabled', !canManage);
    const revert = button('Revert', 'discard', () => {
      delete this.drafts[plugin.id];
      this.messages.delete(plugin.id);
      this.remember();
      this.render();
    });
    revert.toggleAttribute('disabled', !canManage || draft === undefined);
    actions.append(save, revert);
    if (draft !== undefined) actions.append(el('span', 'plugin-draft', 'Unsaved changes'));
    box.append(text, actions);
    const status = el('div', `plugin-message${message ? ` ${message.kind}` : ''}`);
    status.setAttribute('role', message?.kind === 'error' ? 'alert' : 'status');
    if (message) {
      status.append(el('div', undefined, message.text));
      if (message.problems && message.problems.length > 1) {
        const list = el('ul', 'plugin-problems');
        for (const problem of message.problems) list.append(el('li', undefined, problem));
        status.append(list);
      }
    }
    box.append(status);
    if (plugin.configSchema !== undefined) {
      const schema = el('details', 'plugin-schema');
      schema.append(el('summary', undefined, 'Declared schema'), el('pre', 'plugin-schema-text', JSON.stringify(plugin.configSchema, null, 2)));
      box.append(schema);
    }
    return box;
  }

  private async setEnabled(plugin: PluginRow, enabled: boolean): Promise<void> {
    try {
      const result = await this.request('setEnabled', { pluginId: plugin.id, enabled });
      this.messages.set(plugin.id, { kind: 'ok', text: result.message });
    } catch (error) {
      this.messages.set(plugin.id, { kind: 'error', text: (error as RequestError).message });
    }
    // The host sends the new list after every request; render again in case it arrived before this answer.
    if (this.state) this.render();
  }

  private async saveConfig(plugin: PluginRow, text: string): Promise<void> {
    // A quick local check spares a round trip for a typo; the host parses and validates again before storing.
    try {
      JSON.parse(text.trim() === '' ? '{}' : text);
    } catch (error) {
      this.messages.set(plugin.id, { kind: 'error', text: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
      this.render();
      return;
    }
    try {
      const result = await this.request('saveConfig', { pluginId: plugin.id, text });
      delete this.drafts[plugin.id];
      this.remember();
      this.messages.set(plugin.id, { kind: 'ok', text: result.message });
    } catch (error) {
      const e = error as RequestError;
      this.drafts[plugin.id] = text;
      this.remember();
      this.messages.set(plugin.id, { kind: 'error', text: e.message, ...(e.problems ? { problems: e.problems } : {}) });
    }
    if (this.state) this.render();
  }
}
