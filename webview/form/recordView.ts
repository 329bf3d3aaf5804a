// Drawing the record: its notes (new, on its own, locked, to be deleted), one field per column with its value,
// draft and problem, foreign-key references, and the summary of the query the form walks.
import type { CellValue, ColumnSchema, ForeignKey, RowKey } from '../../api';
import { codicon, el } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import { OPERATOR_LABELS } from '../shared/model/filterModel';
import type { FormApp } from './app';
import { FieldView } from './fieldView';
import type { ViewQuery } from './formClient';
import type { Shown } from './navigation';
import { lockTime } from './recordLocks';

export class RecordView {
  constructor(private readonly app: FormApp) {}

  render(): void {
    const shown = this.app.navigation.current();
    const id = shown.kind === 'row' || shown.kind === 'insert' ? shown.id : undefined;
    if (id === undefined || id !== this.app.shownId) this.renderRecord(shown);
    this.app.toolbar.update(shown);
  }

  private renderRecord(shown: Shown): void {
    this.app.fields.clear();
    this.app.shownId = shown.kind === 'row' || shown.kind === 'insert' ? shown.id : undefined;
    this.app.referencesHost.replaceChildren();
    if (shown.kind === 'loading' || shown.kind === 'empty') {
      this.app.form.replaceChildren(el('div', shown.kind === 'loading' ? 'form-loading' : 'form-empty', shown.kind === 'loading' ? 'Loading…' : shown.message));
      this.app.note.hidden = true;
      return;
    }
    const id = shown.id;
    const inserted = shown.kind === 'insert';
    const deleted = !inserted && this.app.pending.isDeleted(id);
    const notes: string[] = [];
    if (inserted) notes.push('New record: it is inserted when you save. Empty fields get their database default.');
    if (shown.kind === 'row' && shown.note) notes.push(shown.note);
    const lockNote = this.lockNote(shown);
    this.app.shownLock = lockNote;
    if (lockNote) notes.push(lockNote);
    if (deleted) notes.push('This record will be deleted when you save.');
    if (shown.kind === 'row' && !shown.ref && !this.app.readOnlyReason) notes.push('This row cannot be addressed, so it cannot be changed.');
    this.app.note.replaceChildren(...notes.map((n) => el('div', undefined, n)));
    if (deleted) {
      const keep = document.createElement('vscode-button');
      keep.setAttribute('secondary', '');
      keep.textContent = 'Keep it';
      keep.addEventListener('click', () => {
        this.app.pending.undelete(id);
        this.app.shownId = undefined;
        this.app.pushPending();
      });
      this.app.note.append(keep);
    }
    if (lockNote && shown.kind === 'row' && shown.ref && this.app.locks?.canTryBreak) {
      const key = shown.ref.key;
      const breakButton = document.createElement('vscode-button');
      breakButton.setAttribute('secondary', '');
      breakButton.classList.add('break-lock');
      breakButton.textContent = 'Break lock';
      breakButton.title = 'Admins: remove the lock so you can edit this record (the other editor\'s save is still checked for conflicts)';
      breakButton.addEventListener('click', () => void this.breakLock(key));
      this.app.note.append(breakButton);
    }
    this.app.note.hidden = notes.length === 0;
    this.app.note.classList.toggle('deleted', deleted);
    this.app.note.classList.toggle('locked', lockNote !== undefined);

    const fkOf = new Map<string, ForeignKey>();
    for (const fk of this.app.schema.foreignKeys) if (!fkOf.has(fk.columns[0])) fkOf.set(fk.columns[0], fk);
    const values = this.valuesOf(shown);
    const nodes: HTMLElement[] = [];
    for (const column of this.app.columns) {
      const field = new FieldView(column, fkOf.get(column.name), (input) => this.app.edits.input(field, input));
      this.app.fields.set(column.name, field);
      const cellKey = `${id}\u0000${column.name}`;
      const draft = this.app.edits.drafts.get(cellKey);
      const problem = draft?.error ?? this.app.edits.problems.get(cellKey);
      const readOnly = this.fieldReadOnly(column, shown, deleted);
      field.show({
        value: values[column.name],
        ...(draft ? { draft: draft.text } : {}),
        ...(problem !== undefined ? { error: problem } : {}),
        dirty: this.app.pending.cell(id, column.name) !== undefined || draft !== undefined,
        ...(readOnly !== undefined ? { readOnly } : {}),
        inserted,
        placeholder: this.placeholder(column, inserted),
      });
      const fk = fkOf.get(column.name);
      if (fk) this.app.foreignKeys.showReference(field, fk, values, readOnly === undefined);
      nodes.push(field.element);
    }
    this.app.form.replaceChildren(...nodes);
    if (shown.kind === 'row' && shown.ref) this.app.foreignKeys.showReverse(this.app.referencesHost, shown.values);
  }

  /** The values a record shows: what was read, with pending edits over it. */
  private valuesOf(shown: Extract<Shown, { kind: 'row' | 'insert' }>): Record<string, CellValue | undefined> {
    const out: Record<string, CellValue | undefined> = {};
    for (const column of this.app.columns) {
      const edit = this.app.pending.cell(shown.id, column.name);
      out[column.name] = edit ? edit.value : shown.kind === 'row' ? shown.values[column.name] : undefined;
    }
    return out;
  }

  /** "Locked by alice since 14:02 …" when someone else is editing the shown record. */
  lockNote(shown: Shown): string | undefined {
    if (shown.kind !== 'row' || !shown.ref) return undefined;
    const lock = this.app.locks?.heldByOther(shown.ref.key);
    return lock ? `Locked by ${lock.owner} since ${lockTime(lock.since)}: they are editing this record in another tab or window, so it is read-only here until they save, discard or close it.` : undefined;
  }

  private async breakLock(key: RowKey): Promise<void> {
    try {
      const broken = await this.app.locks!.breakLock(key);
      this.app.strip.show(broken ? 'success' : 'info', broken ? 'Lock broken: you can edit this record now.' : 'The lock was already released.', [], 4_000);
    } catch (error) {
      this.app.strip.show('error', `Could not break the lock: ${messageOf(error)}`);
    }
  }

  fieldReadOnly(column: ColumnSchema, shown: Extract<Shown, { kind: 'row' | 'insert' }>, deleted: boolean): string | undefined {
    if (this.app.readOnlyReason) return this.app.readOnlyReason;
    const lock = shown.kind === 'row' && shown.ref ? this.app.locks?.heldByOther(shown.ref.key) : undefined;
    if (lock) return `Locked by ${lock.owner} since ${lockTime(lock.since)}.`;
    if (column.generated) return `"${column.name}" is generated by the database.`;
    if (column.readOnly) return `"${column.name}" is read-only.`;
    if (column.kind === 'blob') return 'Binary values are shown, not edited, in the form; use the table view.';
    if (shown.kind === 'insert') return this.app.capabilities.insert ? undefined : 'This datasource cannot insert rows.';
    if (!shown.ref) return 'This row cannot be addressed, so it cannot be changed.';
    if (deleted) return 'This record will be deleted on save.';
    return this.app.capabilities.update ? undefined : 'This datasource cannot update rows.';
  }

  private placeholder(column: ColumnSchema, inserted: boolean): string {
    if (!inserted) return '';
    if (column.generated) return '(generated)';
    if (column.autoIncrement || (column.primaryKeyPosition !== undefined && column.kind === 'integer' && this.app.schema.primaryKey.length === 1)) return '(auto)';
    if (column.defaultValue !== undefined) return `DEFAULT ${column.defaultValue}`;
    return column.nullable ? 'NULL' : '(required)';
  }

  setQuery(query: ViewQuery): void {
    this.app.query = query;
    this.app.source.setQuery(query);
    this.renderQuery();
  }

  renderQuery(): void {
    const q = this.app.query;
    const parts: HTMLElement[] = [];
    for (const f of q.filters ?? []) parts.push(el('span', 'query-chip', `${f.column} ${OPERATOR_LABELS[f.op]}${f.value === undefined ? '' : ` ${Array.isArray(f.value) ? f.value.map(String).join(', ') : String(f.value)}`}`));
    if (q.search?.text) parts.push(el('span', 'query-chip', `search "${q.search.text}"`));
    if (q.sort?.length) parts.push(el('span', 'query-chip', `sorted by ${q.sort.map((s) => `${s.column} ${s.direction}`).join(', ')}`));
    this.app.querySummary.hidden = parts.length === 0;
    if (parts.length === 0) return;
    const clear = document.createElement('vscode-button');
    clear.setAttribute('secondary', '');
    clear.textContent = 'Show all rows';
    clear.title = 'Drop the filters, search and sort this form was opened with';
    clear.addEventListener('click', () => {
      this.setQuery({});
      this.app.navigation.goToIndex(0);
    });
    this.app.querySummary.replaceChildren(codicon('filter'), el('span', 'query-label', 'Showing rows with'), ...parts, clear);
  }
}
