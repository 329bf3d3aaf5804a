// "Preview SQL": what Save would send, as the datasource's own statements when it can tell (API 1.1), otherwise
// described change by change; the view never invents SQL.
import { formatStatements } from '../../shared/statementPreview';
import { showDialog } from '../shared/dialogs';
import { el } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import type { TableApp } from './app';
import { describeChange } from './model/changeDescription';

/** Shows the exact statements Save will run when the datasource can tell, else a description of each change. */
export async function showPreview(app: TableApp): Promise<void> {
  const { changes } = app.pending.toChanges();
  const transactional = app.capabilities.transactions;
  const body = el('div');
  const count = changes.length === 1 ? '1 change' : `${changes.length} changes`;
  body.append(el('p', 'dialog-note', `Save applies ${changes.length === 1 ? 'this change' : `these ${count}`}${transactional ? ' in one transaction: all of it or none' : ' one by one, stopping at the first failure'}.`));
  let statements: Awaited<ReturnType<typeof app.client.previewChanges>> = null;
  try {
    statements = await app.client.previewChanges(changes);
  } catch (error) {
    body.append(el('p', 'dialog-note preview-problem', `Nocoflo could not preview these changes: ${messageOf(error)}`));
  }
  if (statements) {
    body.append(el('pre', 'dialog-text sql-preview', formatStatements(statements, transactional)));
  } else {
    const list = el('ol', 'change-list');
    for (const change of changes) list.append(el('li', `change-${change.kind}`, describeChange(change, app.columns)));
    body.append(list);
  }
  const copy = statements ? [{ label: 'Copy SQL', run: () => app.client.writeClipboard(formatStatements(statements, transactional)) }] : [];
  showDialog(statements ? `Preview SQL (${count})` : `Pending changes (${count})`, body, [
    { label: 'Close' },
    ...copy,
    { label: 'Save', primary: true, run: () => void app.save() },
  ]);
}
