// The messages of Nocoflo's own tool tabs (connection form, audit log, plugins): a `ready` handshake and a few
// plain commands, and numbered requests whose params are checked per method before the host acts on them.
import { type Check, int, isPlainObject } from './validate';

export type ParsedToolMessage<T> = { ok: true; message: T } | { ok: false; error: string; id?: number };

/** Checks a message from a tool webview: `commands` take no fields; requests are `{ type, id, method, params }`. */
export function parseToolMessage<T>(raw: unknown, params: Record<string, Check>, commands: readonly string[] = ['ready']): ParsedToolMessage<T> {
  if (!isPlainObject(raw)) return { ok: false, error: 'message must be an object' };
  if (typeof raw.type === 'string' && commands.includes(raw.type)) {
    return Object.keys(raw).length === 1 ? { ok: true, message: { type: raw.type } as T } : { ok: false, error: `${raw.type} takes no fields` };
  }
  if (raw.type !== 'request') return { ok: false, error: `unknown message type ${JSON.stringify(raw.type)}` };
  const idProblem = int(1, Number.MAX_SAFE_INTEGER)(raw.id, 'id');
  if (idProblem) return { ok: false, error: idProblem };
  const id = raw.id as number;
  const method = raw.method;
  if (typeof method !== 'string' || !Object.hasOwn(params, method)) return { ok: false, error: `unknown method ${JSON.stringify(method)}`, id };
  const extra = Object.keys(raw).find((k) => !['type', 'id', 'method', 'params'].includes(k));
  if (extra) return { ok: false, error: `${extra} is not allowed`, id };
  const problem = params[method]!(raw.params, 'params');
  if (problem) return { ok: false, error: `${method}: ${problem}`, id };
  return { ok: true, message: raw as T };
}
