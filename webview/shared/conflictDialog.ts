import type { ColumnSchema, RowValues } from '../../api';
import type { ViewChange } from '../../api/webview';
import { showDialog } from './dialogs';
import { el } from './dom';
import { formatCell } from './model/cellFormat';
import type { RowProblem } from './model/pendingChanges';
import { sameValue } from '../../shared/values';

/**
 * A row changed in the database since it was read. Shows, per column, what was read, what is stored now and
 * what the user wants, and lets the user overwrite (keep their edit against the new stored row) or reload
 * (drop their edit of this row).
 */
export function showConflict(
  change: Extract<ViewChange, { kind: 'update' | 'delete' }>,
  problem: RowProblem,
  columns: readonly ColumnSchema[],
  actions: { overwrite(current: RowValues): void; reload(): void },
): void {
  const body = el('div', 'conflict');
  body.append(el('p', 'dialog-note', problem.message));
  const current = problem.current;
  if (current === null) {
    body.append(el('p', 'dialog-note', 'Another program deleted this row after you read it.'));
    showDialog('Conflict: the row is gone', body, [{ label: 'Decide later' }, { label: 'Drop my changes to it', primary: true, run: () => actions.reload() }]);
    return;
  }
  const table = el('table', 'conflict-table');
  const head = el('tr');
  for (const label of ['Column', 'When you read it', 'In the database now', change.kind === 'delete' ? 'Your change' : 'Your value']) head.append(el('th', undefined, label));
  table.append(head);
  const show = (value: unknown, column: ColumnSchema) => (value === undefined ? '' : formatCell(value as never, column).text);
  for (const column of columns) {
    const name = column.name;
    const read = change.expected[name];
    const now = current?.[name];
    const mine = change.kind === 'update' && name in change.changes ? change.changes[name] : undefined;
    const changedThere = current !== undefined && !sameValue(read ?? null, now ?? null);
    if (!changedThere && mine === undefined) continue;
    const row = el('tr', changedThere ? 'changed-there' : undefined);
    row.append(el('td', undefined, name), el('td', undefined, show(read, column)), el('td', 'theirs', current === undefined ? '(unknown)' : show(now, column)), el('td', 'mine', change.kind === 'delete' ? 'delete row' : mine === undefined ? '' : show(mine, column)));
    table.append(row);
  }
  body.append(table);
  const buttons = [
    { label: 'Decide later' },
    { label: 'Reload row (drop my changes)', run: () => actions.reload() },
    ...(current ? [{ label: change.kind === 'delete' ? 'Delete anyway' : 'Overwrite with mine', primary: true, run: () => actions.overwrite(current) }] : []),
  ];
  showDialog('Conflict: the row changed since you read it', body, buttons);
}
