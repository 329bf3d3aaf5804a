// The Audit Log view: the shape of an audit entry as stored and shown, and the view's own small protocol (webview ⇄
// host). The host validates every message with `parseFromAudit` before acting on it.
import { bare, cancelCommand, type CancelMessage, type ParsedMessage, parseMessage, type RequestOf } from './rpc';
import { anyOf, type Check, int, object, oneOf, str } from './validate';
import type { WireValue } from './values';

/**
 * A stored value: the wire encoding of a CellValue (bigint and bytes survive exactly), or a marker for a value
 * that was too large to keep. An entry holding a marker cannot be undone.
 */
export type AuditValue = WireValue | { $truncated: { kind: 'text'; length: number; preview: string } | { kind: 'bytes'; size: number } };
export type AuditRecord = Record<string, AuditValue>;

/** 'statement': a SQL statement run from an editor that may have written; its text is in `newValues`, never undoable. */
export type AuditOperation = 'insert' | 'update' | 'delete' | 'statement';
export const AUDIT_OPERATIONS: readonly AuditOperation[] = ['insert', 'update', 'delete', 'statement'];

export interface AuditEntry {
  id: number;
  batchId: string;
  /** ISO 8601, UTC. */
  at: string;
  user: string;
  datasourceId: string;
  schema?: string;
  table: string;
  operation: AuditOperation;
  /** The row key (null when an insert's key is unknown). */
  key: AuditRecord | null;
  /** Update: the values read for the changed columns; delete: the deleted row; insert: null. */
  oldValues: AuditRecord | null;
  /** Update: the written (or stored) values; insert: the inserted row; delete: null. */
  newValues: AuditRecord | null;
  truncated: boolean;
  /** Who wrote: a view id, 'api', 'nocoflo.audit' for undos. */
  source: string;
  undoOf?: number;
  undoneBy?: number;
}

export interface AuditFilter {
  datasourceId?: string;
  schema?: string;
  table?: string;
  user?: string;
  operation?: AuditOperation;
  /** ISO date or date-time; inclusive. */
  from?: string;
  /** ISO date or date-time; a bare date includes that whole day. */
  to?: string;
  batchId?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Entries matching the filter. */
  total: number;
  offset: number;
}

export type UndoTarget = { entryId: number } | { batchId: string };
export type UndoOutcome = { ok: true; undone: number[]; message: string } | { ok: false; reason: string };

export interface AuditInit {
  datasources: { id: string; name: string }[];
  /** Display names for the writers an entry's `source` names: the installed views ("Grid", "Form"), undo, the API. */
  sources: { id: string; name: string }[];
  users: string[];
  filter: AuditFilter;
  pageSize: number;
}

export interface AuditRequests {
  query: { params: { filter: AuditFilter; offset: number; limit: number }; result: AuditPage };
  undo: { params: UndoTarget; result: UndoOutcome };
}
export type AuditMethod = keyof AuditRequests;

export type AuditCommand = { type: 'ready' };
export type FromAudit = AuditCommand | CancelMessage | RequestOf<AuditRequests>;

export type AuditNotification =
  | { type: 'init'; init: AuditInit }
  /** New entries were recorded (here or in another window): the view reloads its page. */
  | { type: 'changed' };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/;
const isoDate: Check = (v, p) => str(40)(v, p) ?? (ISO_DATE.test(v as string) ? undefined : `${p} must be a date like 2026-12-01 or 2026-12-01T09:30`);

export const auditFilterCheck: Check = object(
  {},
  {
    datasourceId: str(200),
    schema: str(500),
    table: str(500),
    user: str(500),
    operation: oneOf(...AUDIT_OPERATIONS),
    from: isoDate,
    to: isoDate,
    batchId: str(100),
  },
);

const PARAMS: Record<AuditMethod, Check> = {
  query: object({ filter: auditFilterCheck, offset: int(0, 1_000_000_000), limit: int(1, 500) }),
  undo: anyOf(object({ entryId: int(1, Number.MAX_SAFE_INTEGER) }), object({ batchId: str(100) })),
};

/** Checks a message from the Audit Log webview before the host acts on it. */
export const parseFromAudit = (raw: unknown): ParsedMessage<FromAudit> => parseMessage<FromAudit>(raw, { requests: PARAMS, commands: { ready: bare('ready'), cancel: cancelCommand } });

/** Short text of a stored value for the view and for refusal messages. */
export function auditValueText(value: AuditValue | undefined, maxChars = 200): string {
  if (value === undefined) return '—';
  if (value === null) return 'NULL';
  if (typeof value === 'string') return value.length > maxChars ? `${JSON.stringify(value.slice(0, maxChars))}…` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('$bigint' in value) return value.$bigint;
  if ('$float' in value) return value.$float;
  if ('$bytes' in value) return `<${Math.floor((value.$bytes.length * 3) / 4) - (value.$bytes.match(/=*$/)?.[0].length ?? 0)} bytes>`;
  const t = value.$truncated;
  return t.kind === 'bytes' ? `<${t.size} bytes, not kept>` : `${JSON.stringify(t.preview)}… (${t.length} characters, cut)`;
}

/** "id=3, name="a"" for a row key. */
export function auditKeyText(key: AuditRecord | null): string {
  if (!key) return '(key unknown)';
  return Object.entries(key)
    .map(([column, value]) => `${column}=${auditValueText(value, 60)}`)
    .join(', ');
}

/** "Grid" for 'nocoflo.table'; a view no longer installed keeps its id, marked, so the entry still says who wrote. */
export function auditSourceText(source: string, sources: readonly { id: string; name: string }[]): string {
  return sources.find((s) => s.id === source)?.name ?? `${source} (not installed)`;
}
