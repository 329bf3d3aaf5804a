import type { ColumnKind } from '../../api';

/**
 * SQLite stores any value in any column; the declared type only sets an affinity. Nocoflo maps declared types to
 * the kind of editor users expect, following SQLite's affinity rules (section 3.1 of "Datatypes In SQLite") after
 * recognising the common conventional names (BOOLEAN, DATE, JSON, …) that the affinity rules would lump together.
 */
export function columnKind(declaredType: string): ColumnKind {
  const t = declaredType.trim().toUpperCase();
  if (t === '') return 'other';
  if (/^BOOL/.test(t)) return 'boolean';
  if (/^(DATETIME|TIMESTAMP)/.test(t)) return 'datetime';
  if (/^DATE\b/.test(t)) return 'date';
  if (/^TIME\b/.test(t)) return 'time';
  if (/^JSONB?\b/.test(t)) return 'json';
  if (/^UUID\b/.test(t)) return 'uuid';
  if (t.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t.includes('BLOB')) return 'blob';
  if (/REAL|FLOA|DOUB/.test(t)) return 'float';
  return 'decimal';
}
