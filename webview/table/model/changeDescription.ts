import type { CellValue, ColumnSchema, RowValues } from '../../../api';
import type { ViewChange } from '../../../api/webview';
import { formatCell } from '../../shared/model/cellFormat';

// A readable account of what Save will do, one line per change. It is not SQL: the datasource contract has no
// statement preview yet, and SQL made up here could differ from what the datasource really runs.

const show = (value: CellValue | undefined, column?: Pick<ColumnSchema, 'kind'>): string => {
  if (value === undefined) return 'DEFAULT';
  const f = formatCell(value, column ?? { kind: 'text' });
  if (f.look === 'null') return 'NULL';
  if (typeof value === 'string') return JSON.stringify(f.truncated ? f.text : value);
  return f.text;
};

const keyText = (key: RowValues): string =>
  Object.entries(key)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(' and ');

export function describeChange(change: ViewChange, columns: readonly ColumnSchema[]): string {
  const col = (name: string) => columns.find((c) => c.name === name);
  switch (change.kind) {
    case 'update':
      return `Update the row where ${keyText(change.key)}: ${Object.entries(change.changes)
        .map(([name, value]) => `${name} ${show(change.expected[name], col(name))} → ${show(value, col(name))}`)
        .join(', ')}`;
    case 'insert': {
      const set = Object.entries(change.values);
      return set.length === 0 ? 'Insert a row with all default values' : `Insert a row with ${set.map(([name, value]) => `${name} = ${show(value, col(name))}`).join(', ')}`;
    }
    case 'delete':
      return `Delete the row where ${keyText(change.key)}`;
  }
}
