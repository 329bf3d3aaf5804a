// The connection form: one field per `ConfigField` of the chosen datasource plugin, a URL box that fills them,
// "Test Connection" with the server's own answer, and Save. Secrets are typed here and sent to the host once;
// they are never kept in the webview's saved state (which VS Code writes to disk).
import type { ConfigField } from '../../api';
import {
  type ConnectionFormInit,
  type ConnectionFormMethod,
  type ConnectionFormNotification,
  type ConnectionFormRequests,
  defaultForm,
  type FormPlugin,
  type FormSubmission,
  formToConfig,
  type FormValues,
  isSecretField,
} from '../../shared/connectionForm';
import type { RpcClient } from '../../shared/rpcClient';
import { type RequestError, startToolClient, type ToolHost } from '../shared/toolClient';
import { button, el } from '../shared/dom';

/** What survives a hidden tab or a reload: everything but secrets. */
interface SavedForm {
  type: string;
  name: string;
  url: string;
  values: FormValues;
}

type Control = HTMLElement & { value: string; checked?: boolean };

const DIALOG_TIMEOUT_MS = 30 * 60_000;

export class ConnectionFormApp {
  private init?: ConnectionFormInit;
  private plugin?: FormPlugin;
  private readonly controls = new Map<string, Control>();
  private readonly errors = new Map<string, HTMLElement>();
  private nameField?: Control;
  private urlField?: Control;
  private status?: HTMLElement;
  private busy = false;
  private readonly client: RpcClient<ConnectionFormRequests>;

  constructor(
    private readonly host: ToolHost,
    private readonly root: HTMLElement,
  ) {
    root.textContent = 'Loading…';
    this.client = startToolClient<ConnectionFormRequests, ConnectionFormNotification>(host, (message) => this.receive(message));
  }

  private receive(message: ConnectionFormNotification): void {
    this.init = message.init;
    const saved = this.host.getState() as SavedForm | undefined;
    const type = saved && message.init.plugins.some((p) => p.id === saved.type) && (message.init.mode === 'add' || saved.type === message.init.type) ? saved.type : message.init.type;
    this.render(type, saved?.type === type ? saved : undefined);
  }

  private request<M extends ConnectionFormMethod>(method: M, params: ConnectionFormRequests[M]['params']): Promise<ConnectionFormRequests[M]['result']> {
    // The file dialog waits for the user.
    return this.client.request(method, params, method === 'pickFile' ? { timeoutMs: DIALOG_TIMEOUT_MS } : {});
  }

  private render(type: string, saved?: SavedForm, filled?: { values: FormValues; secrets: Record<string, string> }): void {
    const init = this.init!;
    this.plugin = init.plugins.find((p) => p.id === type);
    this.controls.clear();
    this.errors.clear();
    this.root.replaceChildren();
    const form = el('form', 'connection-form');
    form.setAttribute('novalidate', '');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    form.append(el('h1', 'form-title', init.mode === 'edit' ? `Edit connection "${init.name}"` : 'Add connection'));
    if (init.plugins.length === 0) {
      form.append(el('p', 'form-note', 'No datasource plugin is available. See Nocoflo: Show Log.'));
      this.root.append(form);
      return;
    }

    if (init.mode === 'add') {
      const select = document.createElement('vscode-single-select') as unknown as Control;
      select.setAttribute('name', 'type');
      for (const plugin of init.plugins) {
        const option = document.createElement('vscode-option');
        option.setAttribute('value', plugin.id);
        option.textContent = plugin.displayName;
        if (plugin.id === type) option.setAttribute('selected', '');
        select.append(option);
      }
      select.value = type;
      select.addEventListener('change', () => {
        const next = init.plugins.find((p) => p.id === select.value);
        if (next && next.id !== this.plugin?.id) this.render(next.id, { type: next.id, name: next.displayName, url: '', values: defaultForm(next.fields) });
      });
      form.append(this.row('Type', 'type', select));
    }

    if (this.plugin?.acceptsUrl) {
      const url = this.textField('url', saved?.url ?? '', this.plugin.schemes.map((s) => `${s}://…`).join(', '));
      this.urlField = url;
      const fill = button('Fill from URL', 'link', () => void this.fillFromUrl(), { title: 'Split the connection URL into the fields below (a password in it goes to secret storage)' });
      fill.classList.add('fill-url');
      const line = el('div', 'url-line');
      line.append(url, fill);
      url.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') {
          e.preventDefault();
          void this.fillFromUrl();
        }
      });
      form.append(this.row('Connection URL', 'url', line, 'Paste a URL to fill the fields; it is not stored as such.'));
    }

    this.nameField = this.textField('name', saved?.name ?? (init.mode === 'edit' || type === init.type ? init.name : (this.plugin?.displayName ?? '')));
    form.append(this.row('Name', 'name', this.nameField, 'Shown in the Nocoflo sidebar.', true));

    const values = filled?.values ?? saved?.values ?? (type === init.type ? init.values : defaultForm(this.plugin?.fields ?? []));
    for (const field of this.plugin?.fields ?? []) form.append(this.fieldRow(field, values, filled?.secrets ?? {}));

    const actions = el('div', 'form-actions');
    actions.append(
      button('Test Connection', 'debug-disconnect', () => void this.test()),
      button(init.mode === 'edit' ? 'Save' : 'Save Connection', 'save', () => void this.save(), { secondary: false }),
      button('Cancel', 'close', () => this.host.postMessage({ type: 'close' })),
    );
    this.status = el('div', 'form-status');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    form.append(actions, this.status);
    this.root.append(form);
    form.addEventListener('input', () => this.remember());
    form.addEventListener('change', () => this.remember());
    this.remember();
  }

  private fieldRow(field: ConfigField, values: FormValues, secrets: Record<string, string>): HTMLElement {
    const value = values[field.key];
    let control: Control;
    switch (field.type) {
      case 'boolean': {
        control = document.createElement('vscode-checkbox') as unknown as Control;
        control.setAttribute('label', field.label);
        control.checked = value === true;
        break;
      }
      case 'enum': {
        control = document.createElement('vscode-single-select') as unknown as Control;
        const choices = field.required ? (field.enum ?? []) : ['', ...(field.enum ?? [])];
        for (const choice of choices) {
          const option = document.createElement('vscode-option');
          option.setAttribute('value', choice);
          option.textContent = choice === '' ? '(default)' : choice;
          if (choice === (value ?? '')) option.setAttribute('selected', '');
          control.append(option);
        }
        control.value = typeof value === 'string' ? value : '';
        break;
      }
      case 'json': {
        control = document.createElement('vscode-textarea') as unknown as Control;
        control.classList.add('json-field');
        control.setAttribute('rows', '6');
        control.value = typeof value === 'string' ? value : '';
        if (field.placeholder) control.setAttribute('placeholder', field.placeholder);
        break;
      }
      default: {
        const secret = isSecretField(field);
        const saved = secret && this.init!.savedSecrets.includes(field.key);
        control = this.textField(field.key, secret ? (secrets[field.key] ?? '') : typeof value === 'string' ? value : '', saved ? 'saved in secret storage — leave empty to keep' : field.placeholder);
        if (secret) control.setAttribute('type', 'password');
        if (field.type === 'number') control.setAttribute('type', 'number');
      }
    }
    control.setAttribute('name', field.key);
    this.controls.set(field.key, control);
    let input: HTMLElement = control;
    if (field.type === 'file') {
      const line = el('div', 'url-line');
      line.append(
        control,
        button('Browse…', 'folder-opened', () => {
          void this.request('pickFile', { field: field.key }).then(
            (r) => {
              if (r.path) {
                control.value = r.path;
                this.remember();
              }
            },
            (error: RequestError) => this.setStatus('error', error.message),
          );
        }),
      );
      input = line;
    }
    const mentionsStorage = /secret storage/i.test(field.description ?? '');
    const description = [field.description, isSecretField(field) && !mentionsStorage ? 'Kept in VS Code secret storage only.' : undefined].filter(Boolean).join(' ');
    return this.row(field.type === 'boolean' ? '' : field.label, field.key, input, description, field.required === true && !(isSecretField(field) && this.init!.savedSecrets.includes(field.key)));
  }

  private textField(name: string, value: string, placeholder?: string): Control {
    const input = document.createElement('vscode-textfield') as unknown as Control;
    input.setAttribute('name', name);
    input.value = value;
    if (placeholder) input.setAttribute('placeholder', placeholder);
    return input;
  }

  private row(label: string, key: string, input: HTMLElement, description?: string, required = false): HTMLElement {
    const row = el('div', 'form-row');
    row.dataset.field = key;
    if (label) {
      const text = el('label', 'form-label', label);
      if (required) text.append(el('span', 'required', ' *'));
      row.append(text);
    }
    row.append(input);
    if (description) row.append(el('div', 'form-help', description));
    const error = el('div', 'form-error');
    error.setAttribute('role', 'alert');
    this.errors.set(key, error);
    row.append(error);
    return row;
  }

  private collect(): FormSubmission {
    const values: FormValues = {};
    const secrets: Record<string, string> = {};
    for (const field of this.plugin?.fields ?? []) {
      const control = this.controls.get(field.key);
      if (!control) continue;
      if (field.type === 'boolean') values[field.key] = control.checked === true;
      else if (isSecretField(field)) secrets[field.key] = control.value;
      else values[field.key] = control.value;
    }
    return { type: this.plugin?.id ?? '', name: this.nameField?.value ?? '', values, secrets };
  }

  private remember(): void {
    const { type, name, values } = this.collect();
    this.host.setState({ type, name, url: this.urlField?.value ?? '', values } satisfies SavedForm);
  }

  private showErrors(errors: Record<string, string>): void {
    for (const [key, node] of this.errors) {
      node.textContent = errors[key] ?? '';
      this.controls.get(key)?.toggleAttribute('invalid', errors[key] !== undefined);
    }
    const first = Object.keys(errors)[0];
    if (first) (this.controls.get(first) ?? (first === 'name' ? this.nameField : first === 'url' ? this.urlField : undefined))?.focus();
  }

  private setStatus(kind: 'busy' | 'ok' | 'error' | 'none', text: string): void {
    if (!this.status) return;
    this.status.className = `form-status ${kind}`;
    this.status.textContent = text;
  }

  /** Checks what can be checked here, so obvious mistakes show before a round trip; the host checks again. */
  private checked(): FormSubmission | undefined {
    const submission = this.collect();
    const errors: Record<string, string> = {};
    if (!submission.name.trim()) errors.name = 'Give the connection a name.';
    const result = formToConfig(this.plugin?.fields ?? [], submission, this.init?.savedSecrets ?? []);
    if (!result.ok) Object.assign(errors, result.errors);
    this.showErrors(errors);
    if (Object.keys(errors).length > 0) {
      this.setStatus('error', 'Please correct the marked fields.');
      return undefined;
    }
    return submission;
  }

  private async run(label: string, work: () => Promise<string | undefined>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.root.querySelectorAll('vscode-button').forEach((b) => b.toggleAttribute('disabled', true));
    this.setStatus('busy', label);
    try {
      const message = await work();
      if (message !== undefined) this.setStatus('ok', message);
    } catch (error) {
      const e = error as RequestError;
      if (e.field) this.showErrors({ [e.field]: e.message });
      this.setStatus('error', e.message ?? String(error));
    } finally {
      this.busy = false;
      this.root.querySelectorAll('vscode-button').forEach((b) => b.toggleAttribute('disabled', false));
    }
  }

  private async test(): Promise<void> {
    const submission = this.checked();
    if (!submission) return;
    await this.run('Connecting…', async () => `Connection succeeded. ${(await this.request('test', submission)).message}`);
  }

  private async save(): Promise<void> {
    const submission = this.checked();
    if (!submission) return;
    await this.run('Saving…', async () => {
      await this.request('save', submission);
      // The host closes this tab once the connection is stored.
      return 'Saved.';
    });
  }

  private async fillFromUrl(): Promise<void> {
    const url = this.urlField?.value.trim() ?? '';
    if (!url) {
      this.showErrors({ url: 'Paste a connection URL first.' });
      return;
    }
    await this.run('Reading the URL…', async () => {
      const parsed = await this.request('parseUrl', { type: this.plugin?.id ?? '', url });
      const name = this.nameField?.value ?? '';
      this.render(parsed.type, { type: parsed.type, name, url, values: parsed.values }, { values: parsed.values, secrets: parsed.secrets });
      const filled = Object.keys(parsed.values).length + Object.keys(parsed.secrets).length;
      this.setStatus('ok', `Filled ${filled} field${filled === 1 ? '' : 's'} from the URL.${Object.keys(parsed.secrets).length > 0 ? ' Its password will be kept in secret storage.' : ''}`);
      return undefined;
    });
  }
}
