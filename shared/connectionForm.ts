// The connection form: its messages (webview ⇄ host) and the pure rules that turn what the user typed into a
// datasource's config and secrets. The form is built from each plugin's declared `configFields`, so a third-party
// datasource gets a form without writing any UI. Both sides validate with the same rules; the host's check is the
// one that counts, because a webview message is untrusted input.
import type { ConfigField, DatasourceConfig, DatasourcePlugin } from '../api';
import { bare, cancelCommand, type CancelMessage, type ParsedMessage, parseMessage, type RequestOf } from './rpc';
import { anyOf, bool, type Check, object, recordOf, str } from './validate';

/** A datasource plugin as the form shows it. */
export type FormPlugin = Pick<DatasourcePlugin, 'id' | 'displayName' | 'icon' | 'schemes'> & {
  fields: DatasourcePlugin['configFields'];
  /** Whether the plugin can split a pasted connection URL into fields. */
  acceptsUrl: boolean;
};

/** What the user typed: text for text-like fields, booleans for checkboxes. Secrets travel apart from the rest. */
export type FormValues = Record<string, string | boolean>;

export interface FormSubmission {
  type: string;
  name: string;
  values: FormValues;
  /** Only the secret fields the user typed into; an absent or empty one keeps the stored secret when editing. */
  secrets: Record<string, string>;
}

export interface ConnectionFormInit {
  mode: 'add' | 'edit';
  plugins: FormPlugin[];
  type: string;
  name: string;
  values: FormValues;
  /** Secret fields that have a stored value (never the value itself). */
  savedSecrets: string[];
}

export interface ConnectionFormRequests {
  parseUrl: { params: { type: string; url: string }; result: { type: string; values: FormValues; secrets: Record<string, string> } };
  test: { params: FormSubmission; result: { message: string } };
  save: { params: FormSubmission; result: { id: string } };
  pickFile: { params: { field: string }; result: { path: string | null } };
}
export type ConnectionFormMethod = keyof ConnectionFormRequests;

/** `close`: the user chose Cancel, so the host closes the tab. */
export type ConnectionFormCommand = { type: 'ready' } | { type: 'close' };
export type FromConnectionForm = ConnectionFormCommand | CancelMessage | RequestOf<ConnectionFormRequests>;

export type ConnectionFormNotification = { type: 'init'; init: ConnectionFormInit };

const key = str(200);
const submission: Check = object({
  type: key,
  name: str(500),
  values: recordOf(anyOf(str(1_000_000), bool), 200),
  secrets: recordOf(str(100_000), 50),
});
const PARAMS: Record<ConnectionFormMethod, Check> = {
  parseUrl: object({ type: key, url: str(10_000) }),
  test: submission,
  save: submission,
  pickFile: object({ field: key }),
};

/** Checks a message from the form webview before the host acts on it. */
export const parseFromConnectionForm = (raw: unknown): ParsedMessage<FromConnectionForm> =>
  parseMessage<FromConnectionForm>(raw, { requests: PARAMS, commands: { ready: bare('ready'), close: bare('close'), cancel: cancelCommand } });

export const isSecretField = (field: ConfigField): boolean => field.secret === true || field.type === 'password';

/**
 * Turns typed values into the datasource's config and secrets, or the first problem per field. Empty text means
 * "not set" (the plugin's default applies), so optional fields stay out of the stored config.
 * `savedSecrets` lists the secrets already stored, which satisfy a required secret field left empty.
 */
export function formToConfig(
  fields: readonly ConfigField[],
  form: Pick<FormSubmission, 'values' | 'secrets'>,
  savedSecrets: readonly string[] = [],
): { ok: true; config: DatasourceConfig; secrets: Record<string, string> } | { ok: false; errors: Record<string, string> } {
  const config: DatasourceConfig = {};
  const secrets: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (isSecretField(field)) {
      const value = form.secrets[field.key] ?? '';
      if (value !== '') secrets[field.key] = value;
      else if (field.required && !savedSecrets.includes(field.key)) errors[field.key] = `${field.label} is required.`;
      continue;
    }
    const raw = form.values[field.key];
    if (field.type === 'boolean') {
      if (typeof raw === 'boolean') config[field.key] = raw;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (field.required) errors[field.key] = `${field.label} is required.`;
      continue;
    }
    const problem = fieldProblem(field, text);
    if (problem) errors[field.key] = problem;
    else config[field.key] = field.type === 'number' ? Number(text) : text;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, config, secrets };
}

function fieldProblem(field: ConfigField, text: string): string | undefined {
  switch (field.type) {
    case 'number':
      return Number.isFinite(Number(text)) ? undefined : `${field.label} must be a number.`;
    case 'enum':
      return field.enum && !field.enum.includes(text) ? `${field.label} must be one of ${field.enum.join(', ')}.` : undefined;
    case 'json':
      try {
        JSON.parse(text);
        return undefined;
      } catch (error) {
        return `${field.label} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
    default:
      return undefined;
  }
}

/** The form's values for a stored config (editing), as text and booleans, secrets excluded. */
export function configToForm(fields: readonly ConfigField[], config: DatasourceConfig): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    if (isSecretField(field)) continue;
    const value = config[field.key];
    if (value === undefined) continue;
    values[field.key] = field.type === 'boolean' ? value === true || value === 'true' : String(value);
  }
  return values;
}

/** Initial values of a new connection: the plugin's declared defaults. */
export function defaultForm(fields: readonly ConfigField[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    if (isSecretField(field) || field.default === undefined) continue;
    values[field.key] = field.type === 'boolean' ? field.default === true : String(field.default);
  }
  return values;
}
