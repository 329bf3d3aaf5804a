// What every Nocoflo webview (views and tool tabs alike) and the host exchange around requests: numbered requests
// answered by exactly one `response`, a `cancel` that gives one up, the one error shape, and the one parser that
// checks a message against a per-panel table of requests and commands before the host acts on it.
import { type Check, int, isPlainObject } from './validate';

/** What one panel's requests take and give, by method name (`R extends RequestTable<R>`: interfaces fit too). */
export type RequestTable<R> = { [M in keyof R]: { params: unknown; result: unknown } };

/** A distributive union over the table, so `switch (message.method)` narrows `params`. */
export type RequestOf<R extends RequestTable<R>> = { [M in keyof R & string]: { type: 'request'; id: number; method: M; params: R[M]['params'] } }[keyof R & string];

/** Gives up on a request; the host aborts the work if it still runs. */
export type CancelMessage = { type: 'cancel'; id: number };

/** The one error shape of every response, whichever panel answers. */
export interface WireError {
  /** A DatasourceErrorCode, 'plugin_failed', 'timeout', 'cancelled', 'internal', 'invalid_message', or 'refused' (Plugins tab). */
  code: string;
  message: string;
  /** The form field or column the error is about, when known. */
  field?: string;
  /** Every problem found, each naming its path, when there were several (a refused plugin configuration). */
  problems?: string[];
}

export type ResponseMessage = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: WireError };

export const okResponse = (id: number, result: unknown): ResponseMessage => ({ type: 'response', id, ok: true, result });
export const errorResponse = (id: number, error: WireError): ResponseMessage => ({ type: 'response', id, ok: false, error });

export type ParsedMessage<T> = { ok: true; message: T } | { ok: false; error: string; id?: number };

/** How one panel's messages look: the params check of every request method and the check of every command. */
export interface MessageTable {
  requests: Record<string, Check>;
  /** Each command's check sees the whole message, `type` included. */
  commands: Record<string, Check>;
}

const MAX_ID = Number.MAX_SAFE_INTEGER;
const REQUEST_FIELDS = ['type', 'id', 'method', 'params'];

/** A command that is its `type` and nothing else (`ready`). */
export const bare =
  (type: string): Check =>
  (v) =>
    isPlainObject(v) && Object.keys(v).length === 1 ? undefined : `${type} takes no fields`;

export const cancelCommand: Check = (v, p) => {
  if (!isPlainObject(v)) return `${p} must be an object`;
  const extra = Object.keys(v).find((k) => k !== 'type' && k !== 'id');
  return extra ? `${p}.${extra} is not allowed` : int(1, MAX_ID)(v.id, `${p}.id`);
};

/**
 * Checks a message from a webview against its panel's table. A malformed request still reports its id when it has
 * a usable one, so the host can answer it with an error instead of leaving the webview waiting for the timeout.
 */
export function parseMessage<T>(raw: unknown, table: MessageTable): ParsedMessage<T> {
  if (!isPlainObject(raw)) return { ok: false, error: 'message must be an object' };
  const type = raw.type;
  if (type === 'request') {
    const idProblem = int(1, MAX_ID)(raw.id, 'id');
    if (idProblem) return { ok: false, error: idProblem };
    const id = raw.id as number;
    const extra = Object.keys(raw).find((k) => !REQUEST_FIELDS.includes(k));
    if (extra) return { ok: false, error: `request.${extra} is not allowed`, id };
    const method = raw.method;
    if (typeof method !== 'string' || !Object.hasOwn(table.requests, method)) return { ok: false, error: `unknown method ${JSON.stringify(method)}`, id };
    const problem = table.requests[method]!(raw.params, 'params');
    return problem ? { ok: false, error: `${method}: ${problem}`, id } : { ok: true, message: raw as T };
  }
  if (typeof type !== 'string' || !Object.hasOwn(table.commands, type)) return { ok: false, error: `unknown message type ${JSON.stringify(type)}` };
  const problem = table.commands[type]!(raw, 'message');
  return problem ? { ok: false, error: problem } : { ok: true, message: raw as T };
}
