// What the user types into fields: parsed and validated into pending edits, or kept as drafts with their error
// (Save waits for them), the problems that keep Save from running, and the drafts as the saved state keeps them.
import type { CellValue, ColumnSchema } from '../../api';
import { validateRecord, validateValue } from '../../shared/fieldValidation';
import { isInsertedId } from '../shared/model/pendingChanges';
import { parseInput } from '../shared/model/valueInput';
import type { FormApp } from './app';
import type { FieldInput, FieldView } from './fieldView';
import type { SavedDraft } from './model/formState';

export class DraftEdits {
  /** Text typed that is not a valid value yet, by `id\0column`: shown on its field, and Save waits for it. */
  readonly drafts = new Map<string, { text: string; error: string }>();
  /** Validation and database messages for values that were accepted as edits, by `id\0column`. */
  readonly problems = new Map<string, string>();

  constructor(private readonly app: FormApp) {}

  /** A field changed: parse and validate it, then record it as a pending edit or keep it as a draft with its error. */
  input(field: FieldView, input: FieldInput): void {
    const shown = this.app.navigation.current();
    if (shown.kind !== 'row' && shown.kind !== 'insert') return;
    const column = field.column;
    const inserted = shown.kind === 'insert';
    if (this.app.view.fieldReadOnly(column, shown, !inserted && this.app.pending.isDeleted(shown.id)) !== undefined) return;
    const cellKey = `${shown.id}\u0000${column.name}`;
    let value: CellValue | undefined;
    let error: string | undefined;
    if (input.kind === 'default') value = undefined;
    else if (input.kind === 'null') value = null;
    else if (input.kind === 'value') value = input.value;
    else if (input.text === '' && !textual(column)) value = inserted ? undefined : null;
    else {
      const parsed = parseInput(input.text, column);
      if (parsed.ok) value = parsed.value;
      else error = parsed.error;
    }
    if (error === undefined) error = validateValue(value, column, inserted ? 'insert' : 'update', { ...this.app.validation, singleIntegerKey: this.singleIntegerKey });
    this.problems.delete(cellKey);
    if (error !== undefined && input.kind === 'text') {
      this.drafts.set(cellKey, { text: input.text, error });
      // The last valid value must not be saved behind the user's back while the field shows something else.
      if (inserted) this.app.pending.editInserted(shown.id, column.name, undefined);
      else if (shown.ref) this.app.pending.editRow(shown.ref, column.name, shown.ref.values[column.name]);
    } else {
      this.drafts.delete(cellKey);
      if (error !== undefined) this.problems.set(cellKey, error);
      if (inserted) this.app.pending.editInserted(shown.id, column.name, value);
      else if (shown.ref && value !== undefined) this.app.pending.editRow(shown.ref, column.name, value);
    }
    const rebuild = input.kind !== 'text';
    if (rebuild) this.app.shownId = undefined;
    else field.setStatus({ dirty: this.app.pending.cell(shown.id, column.name) !== undefined || this.drafts.has(cellKey), error, value, draft: this.drafts.get(cellKey)?.text });
    this.app.pushPending();
  }

  private get singleIntegerKey(): boolean {
    const keys = this.app.columns.filter((c) => c.primaryKeyPosition !== undefined);
    return keys.length === 1 && keys[0].kind === 'integer';
  }

  dropMessages(id: string): void {
    for (const map of [this.drafts, this.problems]) for (const key of [...map.keys()]) if (key.startsWith(`${id}\u0000`)) map.delete(key);
  }

  /** Problems that keep Save from running: drafts that are not values yet, and values the table would refuse. */
  blockingProblems(): { id: string; column: string; message: string }[] {
    const out: { id: string; column: string; message: string }[] = [];
    for (const [cellKey, draft] of this.drafts) {
      const [id, column] = cellKey.split('\u0000');
      out.push({ id, column, message: draft.error });
    }
    const { changes, ids } = this.app.pending.toChanges();
    changes.forEach((change, i) => {
      if (change.kind === 'delete') return;
      const values = change.kind === 'insert' ? change.values : change.changes;
      for (const problem of validateRecord(values, this.app.columns, change.kind, this.app.validation)) {
        if (!out.some((p) => p.id === ids[i] && p.column === problem.column)) out.push({ id: ids[i], ...problem });
        this.problems.set(`${ids[i]}\u0000${problem.column}`, problem.message);
      }
    });
    return out;
  }

  savedDrafts(): SavedDraft[] {
    const inserts = this.app.pending.insertedRows.map((i) => i.id);
    const out: SavedDraft[] = [];
    for (const [cellKey, draft] of this.drafts) {
      const [id, column] = cellKey.split('\u0000');
      const insert = inserts.indexOf(id);
      if (isInsertedId(id) && insert < 0) continue;
      out.push({ row: isInsertedId(id) ? { insert } : { id }, column, ...draft });
    }
    return out;
  }
}

/** Kinds where the empty string is a value of its own; elsewhere an emptied field means NULL (or the default). */
function textual(column: ColumnSchema): boolean {
  return column.kind === 'text' || column.kind === 'other' || column.kind === 'set' || column.kind === 'array';
}
