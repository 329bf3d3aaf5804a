// What a view shows of TableSchema.notices (API 1.4) when a table opens: the datasource's warnings about its data
// (e.g. rows that already break a foreign key). They come from a plugin, so only what looks like one is shown, and
// a long list stays one readable strip. Shared by the grid and the form; pure, so it is tested in plain Node.
import type { TableSchema } from '../../../api';

/** More than this many notices are summarised as "… and N more". */
export const MAX_NOTICES_SHOWN = 3;
/** A single notice is cut here: a strip is one or two lines, not a report. */
export const MAX_NOTICE_LENGTH = 400;

/** The strip text for `schema`'s notices, or undefined when there are none worth showing. */
export function noticeText(schema: Pick<TableSchema, 'notices'>): string | undefined {
  const notices = Array.isArray(schema.notices)
    ? schema.notices.filter((n): n is string => typeof n === 'string').map((n) => n.trim().replace(/\s+/g, ' ')).filter((n) => n.length > 0)
    : [];
  if (notices.length === 0) return undefined;
  const shown = notices.slice(0, MAX_NOTICES_SHOWN).map((n) => (n.length > MAX_NOTICE_LENGTH ? `${n.slice(0, MAX_NOTICE_LENGTH - 1)}…` : n));
  const more = notices.length - shown.length;
  return more > 0 ? `${shown.join(' ')} (and ${more} more ${more === 1 ? 'notice' : 'notices'})` : shown.join(' ');
}

/** The schema as it shapes a view: everything but its notices, which may change with the data on every refresh. */
export function withoutNotices(schema: TableSchema): Omit<TableSchema, 'notices'> {
  const { notices: _notices, ...shape } = schema;
  return shape;
}
