// Over 400 lines (814) until issue 14 splits the form controller by responsibility (toolbar, record navigation,
// drafts, saving) on the shared webview library; this change only touched its save-failure message.
import type { CellValue, ColumnSchema, ForeignKey, RowKey, RowValues, TableSchema } from '../../api';
import { failedColumn, validateRecord, validateValue, type ValidationOptions } from '../../shared/fieldValidation';
import { keyFilters, parseGoTo, positionText, rowsBeforeFilter, stepTarget, type NavStep } from '../../shared/formNavigation';
import { decodeChange, encodeChange, encodeQuery } from '../../shared/protocolCodec';
import { encodeRecord } from '../../shared/values';
import { showConflict } from '../shared/conflictDialog';
import { showDialog } from '../shared/dialogs';
import { button, codicon, debounce, el, iconButton, primaryModifier, setDisabled } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import { OPERATOR_LABELS } from '../shared/model/filterModel';
import { isInsertedId, PendingChanges, rowIdOf, type RowRef } from '../shared/model/pendingChanges';
import { RowSource } from '../shared/model/rowSource';
import { SaveController, type StripAction } from '../shared/saveController';
import { parseInput } from '../shared/model/valueInput';
import { FieldView, type FieldInput } from './fieldView';
import type { FormClient, ViewQuery } from './formClient';
import { restoreFormState, type FormState, type SavedDraft } from './model/formState';
import { ForeignKeys } from './foreignKeys';
import { lockTime, RecordLocks } from './recordLocks';
import { MessageStrip } from '../shared/messageStrip';
import { noticeText } from '../shared/model/schemaNotices';

const PAGE_SIZE = 50;

/** The record on screen. */
type Shown =
  | { kind: 'loading' }
  | { kind: 'empty'; message: string }
  | { kind: 'row'; id: string; ref: RowRef | undefined; values: RowValues; note?: string }
  | { kind: 'insert'; id: string };

/**
 * The form view: one record at a time, walking the rows of the table's query (the one it was opened with, from
 * the view it was switched from) through the view client, with the grid's pending-change model, save, conflicts
 * and read-only rules. Everything goes through `client`, the door every view uses.
 */
export class FormApp {
  private readonly schema: TableSchema;
  private readonly columns: ColumnSchema[];
  private readonly readOnlyReason: string | undefined;
  private query: ViewQuery;
  private position = 0;
  /** A record shown on its own (opened by key and not locatable in the query, or just inserted). */
  private alone: { values: RowValues; key: RowKey | null; note?: string } | undefined;
  /** The pending insert on screen, by its index among the inserts. */
  private insertIndex: number | undefined;
  private readonly source: RowSource;
  private pending: PendingChanges;
  /** Text typed that is not a valid value yet, by `id\0column`: shown on its field, and Save waits for it. */
  private readonly drafts = new Map<string, { text: string; error: string }>();
  /** Validation and database messages for values that were accepted as edits, by `id\0column`. */
  private readonly problems = new Map<string, string>();
  private fields = new Map<string, FieldView>();
  private shownId: string | undefined;
  private readonly saver: SaveController;
  private readonly validation: ValidationOptions;
  private readonly foreignKeys: ForeignKeys;
  private readonly persist = debounce(250, () => this.saveState());
  /** Row locks: this tab's, while it has edits for a record, and who else is editing which record. */
  private locks: RecordLocks | undefined;
  /** The lock note the shown record was rendered with, to re-render only when it changes. */
  private shownLock: string | undefined;

  private readonly banner: HTMLDivElement;
  private readonly strip = new MessageStrip();
  private readonly querySummary: HTMLDivElement;
  private readonly note: HTMLDivElement;
  private readonly form: HTMLDivElement;
  private readonly referencesHost: HTMLDivElement;
  private readonly positionLabel: HTMLSpanElement;
  private readonly goTo: HTMLElement & { value: string };
  private readonly nav: Record<NavStep, HTMLElement>;
  private readonly actions: Record<'insert' | 'delete' | 'discard' | 'save', HTMLElement>;
  private readonly pendingLabel: HTMLSpanElement;

  constructor(
    private readonly client: FormClient,
    private readonly root: HTMLElement,
  ) {
    const init = client.init;
    this.schema = init.schema;
    this.columns = init.schema.columns;
    this.readOnlyReason = init.readOnlyReason;
    // SQLite (no schemas) stores every INTEGER in 64 bits; PostgreSQL's and MySQL's INTEGER is 32 bits.
    this.validation = { bareIntegerBits: init.capabilities.schemas ? 32 : 64 };
    const restored = restoreFormState(client.getState(), init.query, init.focusKey);
    this.query = restored.query;
    this.position = restored.position;
    this.pending = PendingChanges.restore(init.pending ?? (restored.pending ?? []).map(decodeChange));
    this.saver = new SaveController(client, this.pending, this.strip, showConflict, {
      columns: () => this.columns,
      savingChanged: () => this.updateChrome(),
      pendingChanged: () => this.pushPending(),
      reloadRows: () => this.source.reload(),
      cleared: () => {
        this.problems.clear();
        this.insertIndex = undefined;
        this.shownId = undefined;
      },
      refused: (failure, id) => {
        const column = failedColumn(failure, this.schema.table.name, this.columns);
        if (id !== undefined && column) this.problems.set(`${id}\u0000${column}`, failure.message);
        this.shownId = undefined;
        return column;
      },
      locate: (id) => ({ actions: this.showRecord(id) }),
      retry: () => void this.save(),
      reverted: (id) => {
        this.dropMessages(id);
        this.shownId = undefined;
      },
      reloadAfterConflict: () => this.reload(),
    });
    if (restored.insert !== undefined && restored.insert < this.pending.insertedRows.length) this.insertIndex = restored.insert;
    for (const draft of restored.drafts ?? []) {
      const id = 'id' in draft.row ? draft.row.id : this.pending.insertedRows[draft.row.insert]?.id;
      if (id !== undefined && this.columns.some((c) => c.name === draft.column)) this.drafts.set(`${id}\u0000${draft.column}`, { text: draft.text, error: draft.error });
    }

    root.classList.add('view-app', 'form-app');
    this.banner = el('div', 'readonly-banner');
    this.banner.setAttribute('role', 'note');
    this.banner.hidden = this.readOnlyReason === undefined;
    if (this.readOnlyReason !== undefined) this.banner.append(codicon('lock'), el('span', 'readonly-text', `Read-only: ${this.readOnlyReason}`));

    const toolbar = el('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    const navGroup = el('div', 'toolbar-group nav-group');
    this.nav = {
      first: iconButton('First record', 'debug-reverse-continue', () => this.step('first')),
      previous: iconButton('Previous record (Page Up)', 'chevron-left', () => this.step('previous')),
      next: iconButton('Next record (Page Down)', 'chevron-right', () => this.step('next')),
      last: iconButton('Last record', 'debug-continue', () => this.step('last')),
    };
    for (const [step, b] of Object.entries(this.nav)) b.classList.add(`nav-${step}`);
    this.positionLabel = el('span', 'form-position');
    this.positionLabel.setAttribute('aria-live', 'polite');
    this.goTo = document.createElement('vscode-textfield') as unknown as HTMLElement & { value: string };
    this.goTo.classList.add('go-to');
    this.goTo.setAttribute('placeholder', 'Go to row…');
    this.goTo.setAttribute('aria-label', 'Go to row number');
    this.goTo.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') this.goToTyped();
    });
    navGroup.append(this.nav.first, this.nav.previous, this.positionLabel, this.nav.next, this.nav.last, this.goTo);
    const editGroup = el('div', 'toolbar-group');
    this.actions = {
      insert: button('New', 'add', () => this.insertRecord(), { title: 'Insert a new record (defaults shown until you set values)' }),
      delete: button('Delete', 'trash', () => this.deleteRecord(), { title: 'Delete this record on save' }),
      discard: button('Discard', 'discard', () => this.discard(), { title: 'Discard all unsaved changes' }),
      save: button('Save', 'save', () => void this.save(), { secondary: false, title: 'Save all changes in one transaction (Ctrl+S)' }),
    };
    editGroup.append(...Object.values(this.actions));
    const endGroup = el('div', 'toolbar-group toolbar-end');
    this.pendingLabel = el('span', 'status-pending');
    endGroup.append(this.pendingLabel, iconButton('Refresh (re-read the record)', 'refresh', () => this.reload()));
    toolbar.append(navGroup, editGroup, endGroup);

    this.querySummary = el('div', 'query-summary');
    this.note = el('div', 'record-note');
    this.note.hidden = true;
    this.form = el('div', 'form-fields');
    this.referencesHost = el('div', 'form-references');
    const scroller = el('div', 'form-scroller');
    scroller.append(this.note, this.form, this.referencesHost);
    root.replaceChildren(this.banner, toolbar, this.querySummary, this.strip.element, scroller);
    // The datasource's warnings about this table's data (TableSchema.notices), e.g. rows that break a foreign key.
    const notices = noticeText(this.schema);
    if (notices !== undefined) this.strip.show('warning', notices);

    this.foreignKeys = new ForeignKeys(client, this.schema, {
      choose: (column, value) => {
        const field = this.fields.get(column);
        if (field) this.input(field, { kind: 'value', value });
      },
      log: (message) => client.log('warn', message),
    });

    this.source = new RowSource(
      client,
      this.columns.map((c) => c.name),
      {
        changed: () => this.rowsChanged(),
        failed: (message) => this.strip.show('error', `Could not read rows: ${message}`, [{ label: 'Retry', run: () => this.source.retry() }]),
      },
      { pageSize: PAGE_SIZE, maxPages: 20 },
    );
    this.source.setQuery(this.query);
    this.renderQuery();
    this.locks = new RecordLocks(client, {
      changed: () => {
        if (this.lockNote(this.current()) === this.shownLock) return;
        this.shownId = undefined;
        this.render();
      },
      refused: (owner, since) =>
        this.strip.show(
          'error',
          `Locked by ${owner} since ${lockTime(since)}: they are editing this record in another tab or window. Your change stays pending; Save still checks that nobody changed the record since you read it.`,
        ),
      failed: (message) => client.log('warn', `row lock: ${message}`),
    });

    document.addEventListener('keydown', (e) => this.onKey(e));
    client.onRefresh(() => this.reload());
    // openView aimed at this open tab (a followed foreign key, "Open row in form"): show that row.
    client.onFocus?.((target) => {
      if (target.query) this.setQuery(target.query);
      if (target.key) void this.openKey(target.key);
      else if (target.query) this.goToIndex(0);
    });
    window.addEventListener('beforeunload', () => this.persist.flush());

    const focus = restored.focus;
    if (this.insertIndex !== undefined) this.render();
    else if (focus) void this.openKey(focus);
    else this.goToIndex(this.position);
    this.pushPending(false);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Which record is shown
  // ------------------------------------------------------------------------------------------------------------

  private get total(): number | undefined {
    const end = this.source.cache.knownEnd;
    if (end !== undefined) return end;
    const count = this.source.displayCount;
    return count && count.exact && !count.capped ? count.count : undefined;
  }

  private current(): Shown {
    if (this.insertIndex !== undefined) {
      const insert = this.pending.insertedRows[this.insertIndex];
      if (insert) return { kind: 'insert', id: insert.id };
      this.insertIndex = undefined;
    }
    if (this.alone) return this.rowShown(this.alone.values, this.alone.key, this.alone.note);
    const row = this.source.row(this.position);
    if (row) {
      const values: RowValues = {};
      this.columns.forEach((c, i) => (values[c.name] = row.values[i]));
      return this.rowShown(values, row.key);
    }
    if (this.source.started && this.total !== undefined && this.position >= this.total) {
      const filtered = (this.query.filters?.length ?? 0) > 0 || !!this.query.search;
      return { kind: 'empty', message: this.total === 0 ? (filtered ? 'No rows match the filters.' : 'This table has no rows.') : 'There is no row here any more.' };
    }
    return { kind: 'loading' };
  }

  private rowShown(values: RowValues, key: RowKey | null, note?: string): Shown {
    const ref = key ? { key, values } : undefined;
    return { kind: 'row', id: key ? rowIdOf(key) : `row:${this.position}`, ref, values, ...(note ? { note } : {}) };
  }

  private rowsChanged(): void {
    if (this.source.started && this.total !== undefined && this.total > 0 && this.position >= this.total && !this.alone && this.insertIndex === undefined) {
      // Rows went away (deleted here or elsewhere): stay on the last one there is.
      this.goToIndex(this.total - 1);
      return;
    }
    this.render();
  }

  private goToIndex(index: number): void {
    this.alone = undefined;
    this.insertIndex = undefined;
    this.position = Math.max(0, index);
    this.source.want(this.position, this.position + 1);
    this.render();
    this.persist();
  }

  private step(step: NavStep): void {
    if (this.insertIndex !== undefined || this.alone) {
      // From a record shown on its own, the steps lead back into the query's rows.
      if (step === 'last') {
        if (this.total !== undefined && this.total > 0) this.goToIndex(this.total - 1);
      } else this.goToIndex(step === 'first' ? 0 : this.position);
      return;
    }
    const target = stepTarget(step, this.position, this.total);
    if (target !== undefined) this.goToIndex(target);
  }

  private goToTyped(): void {
    const parsed = parseGoTo(this.goTo.value, this.total);
    if (!parsed.ok) {
      this.strip.show('info', parsed.error, [], 4_000);
      return;
    }
    this.goTo.value = '';
    this.goToIndex(parsed.index);
  }

  /**
   * Shows the record with `key`: at its position in the query when one filter can tell the position, otherwise on
   * its own with a note (the steps then lead back into the query).
   */
  private async openKey(key: RowKey, note?: string): Promise<void> {
    this.insertIndex = undefined;
    this.alone = undefined;
    this.shownId = undefined;
    this.form.replaceChildren(el('div', 'form-loading', 'Loading the record…'));
    try {
      const inQuery = await this.client.readRows({ ...this.query, filters: [...(this.query.filters ?? []), ...keyFilters(key)], limit: 1 });
      const keyColumns = this.schema.rowKey?.columns ?? this.schema.primaryKey;
      const before = rowsBeforeFilter(key, keyColumns, this.query.sort);
      if (inQuery.rows.length === 1 && before) {
        const count = await this.client.countRows({ filters: [...(this.query.filters ?? []), before], ...(this.query.search ? { search: this.query.search } : {}) });
        if (count.exact && !count.capped) {
          // Re-read with the real query so Nocoflo's record of this tab's query is not the lookup's (see below).
          this.source.reload();
          this.goToIndex(count.count);
          if (note) this.strip.show('success', note, [], 4_000);
          return;
        }
      }
      const page = inQuery.rows.length === 1 ? inQuery : await this.client.readRows({ filters: keyFilters(key), limit: 1 });
      if (page.rows.length === 0) {
        this.strip.show('info', `No record with ${describeKey(key)} (it may have been deleted).`);
        this.goToIndex(0);
        return;
      }
      const values: RowValues = {};
      page.columns.forEach((c, i) => (values[c] = page.rows[0][i] ?? null));
      const why = inQuery.rows.length === 0 && ((this.query.filters?.length ?? 0) > 0 || this.query.search) ? 'it does not match the active filters' : 'its position in this order cannot be told';
      this.alone = { values, key: page.keys[0] ?? key, note: note ?? `Showing ${describeKey(key)} on its own: ${why}. First / Next lead back into the rows.` };
      // Nocoflo takes a tab's query from the reads it sends (Switch View hands it on): end with the real query's
      // reads, not the key lookup's, which also readies "First".
      this.source.reload();
      this.source.want(0, 1);
      this.render();
      this.persist();
    } catch (error) {
      this.strip.show('error', `Could not read the record: ${messageOf(error)}`);
      this.goToIndex(0);
    }
  }

  private reload(): void {
    this.shownId = undefined;
    if (this.alone?.key) {
      void this.openKey(this.alone.key, this.alone.note);
      return;
    }
    this.source.reload();
    this.source.want(this.position, this.position + 1);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rendering
  // ------------------------------------------------------------------------------------------------------------

  private render(): void {
    const shown = this.current();
    const id = shown.kind === 'row' || shown.kind === 'insert' ? shown.id : undefined;
    if (id === undefined || id !== this.shownId) this.renderRecord(shown);
    this.updateChrome(shown);
  }

  private renderRecord(shown: Shown): void {
    this.fields.clear();
    this.shownId = shown.kind === 'row' || shown.kind === 'insert' ? shown.id : undefined;
    this.referencesHost.replaceChildren();
    if (shown.kind === 'loading' || shown.kind === 'empty') {
      this.form.replaceChildren(el('div', shown.kind === 'loading' ? 'form-loading' : 'form-empty', shown.kind === 'loading' ? 'Loading…' : shown.message));
      this.note.hidden = true;
      return;
    }
    const id = shown.id;
    const inserted = shown.kind === 'insert';
    const deleted = !inserted && this.pending.isDeleted(id);
    const notes: string[] = [];
    if (inserted) notes.push('New record: it is inserted when you save. Empty fields get their database default.');
    if (shown.kind === 'row' && shown.note) notes.push(shown.note);
    const lockNote = this.lockNote(shown);
    this.shownLock = lockNote;
    if (lockNote) notes.push(lockNote);
    if (deleted) notes.push('This record will be deleted when you save.');
    if (shown.kind === 'row' && !shown.ref && !this.readOnlyReason) notes.push('This row cannot be addressed, so it cannot be changed.');
    this.note.replaceChildren(...notes.map((n) => el('div', undefined, n)));
    if (deleted) {
      const keep = document.createElement('vscode-button');
      keep.setAttribute('secondary', '');
      keep.textContent = 'Keep it';
      keep.addEventListener('click', () => {
        this.pending.undelete(id);
        this.shownId = undefined;
        this.pushPending();
      });
      this.note.append(keep);
    }
    if (lockNote && shown.kind === 'row' && shown.ref && this.locks?.canTryBreak) {
      const key = shown.ref.key;
      const breakButton = document.createElement('vscode-button');
      breakButton.setAttribute('secondary', '');
      breakButton.classList.add('break-lock');
      breakButton.textContent = 'Break lock';
      breakButton.title = 'Admins: remove the lock so you can edit this record (the other editor\'s save is still checked for conflicts)';
      breakButton.addEventListener('click', () => void this.breakLock(key));
      this.note.append(breakButton);
    }
    this.note.hidden = notes.length === 0;
    this.note.classList.toggle('deleted', deleted);
    this.note.classList.toggle('locked', lockNote !== undefined);

    const fkOf = new Map<string, ForeignKey>();
    for (const fk of this.schema.foreignKeys) if (!fkOf.has(fk.columns[0])) fkOf.set(fk.columns[0], fk);
    const values = this.valuesOf(shown);
    const nodes: HTMLElement[] = [];
    for (const column of this.columns) {
      const field = new FieldView(column, fkOf.get(column.name), (input) => this.input(field, input));
      this.fields.set(column.name, field);
      const cellKey = `${id}\u0000${column.name}`;
      const draft = this.drafts.get(cellKey);
      const problem = draft?.error ?? this.problems.get(cellKey);
      const readOnly = this.fieldReadOnly(column, shown, deleted);
      field.show({
        value: values[column.name],
        ...(draft ? { draft: draft.text } : {}),
        ...(problem !== undefined ? { error: problem } : {}),
        dirty: this.pending.cell(id, column.name) !== undefined || draft !== undefined,
        ...(readOnly !== undefined ? { readOnly } : {}),
        inserted,
        placeholder: this.placeholder(column, inserted),
      });
      const fk = fkOf.get(column.name);
      if (fk) this.foreignKeys.showReference(field, fk, values, readOnly === undefined);
      nodes.push(field.element);
    }
    this.form.replaceChildren(...nodes);
    if (shown.kind === 'row' && shown.ref) this.foreignKeys.showReverse(this.referencesHost, shown.values);
  }

  /** The values a record shows: what was read, with pending edits over it. */
  private valuesOf(shown: Extract<Shown, { kind: 'row' | 'insert' }>): Record<string, CellValue | undefined> {
    const out: Record<string, CellValue | undefined> = {};
    for (const column of this.columns) {
      const edit = this.pending.cell(shown.id, column.name);
      out[column.name] = edit ? edit.value : shown.kind === 'row' ? shown.values[column.name] : undefined;
    }
    return out;
  }

  /** "Locked by alice since 14:02 …" when someone else is editing the shown record. */
  private lockNote(shown: Shown): string | undefined {
    if (shown.kind !== 'row' || !shown.ref) return undefined;
    const lock = this.locks?.heldByOther(shown.ref.key);
    return lock ? `Locked by ${lock.owner} since ${lockTime(lock.since)}: they are editing this record in another tab or window, so it is read-only here until they save, discard or close it.` : undefined;
  }

  private async breakLock(key: RowKey): Promise<void> {
    try {
      const broken = await this.locks!.breakLock(key);
      this.strip.show(broken ? 'success' : 'info', broken ? 'Lock broken: you can edit this record now.' : 'The lock was already released.', [], 4_000);
    } catch (error) {
      this.strip.show('error', `Could not break the lock: ${messageOf(error)}`);
    }
  }

  private fieldReadOnly(column: ColumnSchema, shown: Extract<Shown, { kind: 'row' | 'insert' }>, deleted: boolean): string | undefined {
    if (this.readOnlyReason) return this.readOnlyReason;
    const lock = shown.kind === 'row' && shown.ref ? this.locks?.heldByOther(shown.ref.key) : undefined;
    if (lock) return `Locked by ${lock.owner} since ${lockTime(lock.since)}.`;
    if (column.generated) return `"${column.name}" is generated by the database.`;
    if (column.readOnly) return `"${column.name}" is read-only.`;
    if (column.kind === 'blob') return 'Binary values are shown, not edited, in the form; use the table view.';
    if (shown.kind === 'insert') return this.capabilities.insert ? undefined : 'This datasource cannot insert rows.';
    if (!shown.ref) return 'This row cannot be addressed, so it cannot be changed.';
    if (deleted) return 'This record will be deleted on save.';
    return this.capabilities.update ? undefined : 'This datasource cannot update rows.';
  }

  private placeholder(column: ColumnSchema, inserted: boolean): string {
    if (!inserted) return '';
    if (column.generated) return '(generated)';
    if (column.autoIncrement || (column.primaryKeyPosition !== undefined && column.kind === 'integer' && this.schema.primaryKey.length === 1)) return '(auto)';
    if (column.defaultValue !== undefined) return `DEFAULT ${column.defaultValue}`;
    return column.nullable ? 'NULL' : '(required)';
  }

  private setQuery(query: ViewQuery): void {
    this.query = query;
    this.source.setQuery(query);
    this.renderQuery();
  }

  private renderQuery(): void {
    const q = this.query;
    const parts: HTMLElement[] = [];
    for (const f of q.filters ?? []) parts.push(el('span', 'query-chip', `${f.column} ${OPERATOR_LABELS[f.op]}${f.value === undefined ? '' : ` ${Array.isArray(f.value) ? f.value.map(String).join(', ') : String(f.value)}`}`));
    if (q.search?.text) parts.push(el('span', 'query-chip', `search "${q.search.text}"`));
    if (q.sort?.length) parts.push(el('span', 'query-chip', `sorted by ${q.sort.map((s) => `${s.column} ${s.direction}`).join(', ')}`));
    this.querySummary.hidden = parts.length === 0;
    if (parts.length === 0) return;
    const clear = document.createElement('vscode-button');
    clear.setAttribute('secondary', '');
    clear.textContent = 'Show all rows';
    clear.title = 'Drop the filters, search and sort this form was opened with';
    clear.addEventListener('click', () => {
      this.setQuery({});
      this.goToIndex(0);
    });
    this.querySummary.replaceChildren(codicon('filter'), el('span', 'query-label', 'Showing rows with'), ...parts, clear);
  }

  private updateChrome(shown: Shown = this.current()): void {
    const count = this.source.displayCount;
    const total = this.total;
    const inList = this.insertIndex === undefined && !this.alone;
    this.positionLabel.textContent = this.insertIndex !== undefined ? 'new record' : this.alone ? 'record on its own' : count || this.source.started ? positionText(this.position, count ?? (total !== undefined ? { count: total, exact: true } : undefined)) : 'row …';
    setDisabled(this.nav.first, inList && stepTarget('first', this.position, total) === undefined);
    setDisabled(this.nav.previous, inList && stepTarget('previous', this.position, total) === undefined);
    setDisabled(this.nav.next, inList && (stepTarget('next', this.position, total) === undefined || shown.kind === 'empty'));
    setDisabled(this.nav.last, total === undefined || total === 0 || (inList && stepTarget('last', this.position, total) === undefined));
    const readOnly = this.readOnlyReason !== undefined;
    for (const b of Object.values(this.actions)) b.hidden = readOnly;
    setDisabled(this.actions.insert, !this.capabilities.insert || this.saver.saving);
    // A record someone else is editing cannot be marked for deletion here either (its lock says who).
    setDisabled(this.actions.delete, !this.capabilities.delete || this.saver.saving || !(shown.kind === 'insert' || (shown.kind === 'row' && shown.ref)) || this.lockNote(shown) !== undefined);
    // The user's role may leave deleting out (an editor): the disabled button says why.
    this.actions.delete.title = this.client.init.unavailable?.delete ?? 'Delete this record on save';
    const size = this.pending.size;
    setDisabled(this.actions.discard, (size === 0 && this.drafts.size === 0) || this.saver.saving);
    // With only invalid drafts, Save stays clickable to say what needs fixing.
    setDisabled(this.actions.save, (size === 0 && this.drafts.size === 0) || this.saver.saving);
    const label = this.actions.save.querySelector('.button-label');
    if (label) label.textContent = this.saver.saving ? 'Saving…' : size > 0 ? `Save (${size})` : 'Save';
    this.pendingLabel.textContent = size > 0 ? `● ${size} unsaved change${size > 1 ? 's' : ''}` : '';
    this.root.classList.toggle('dirty', size > 0);
  }

  private get capabilities() {
    return this.client.init.capabilities;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Editing
  // ------------------------------------------------------------------------------------------------------------

  /** A field changed: parse and validate it, then record it as a pending edit or keep it as a draft with its error. */
  private input(field: FieldView, input: FieldInput): void {
    const shown = this.current();
    if (shown.kind !== 'row' && shown.kind !== 'insert') return;
    const column = field.column;
    const inserted = shown.kind === 'insert';
    if (this.fieldReadOnly(column, shown, !inserted && this.pending.isDeleted(shown.id)) !== undefined) return;
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
    if (error === undefined) error = validateValue(value, column, inserted ? 'insert' : 'update', { ...this.validation, singleIntegerKey: this.singleIntegerKey });
    this.problems.delete(cellKey);
    if (error !== undefined && input.kind === 'text') {
      this.drafts.set(cellKey, { text: input.text, error });
      // The last valid value must not be saved behind the user's back while the field shows something else.
      if (inserted) this.pending.editInserted(shown.id, column.name, undefined);
      else if (shown.ref) this.pending.editRow(shown.ref, column.name, shown.ref.values[column.name]);
    } else {
      this.drafts.delete(cellKey);
      if (error !== undefined) this.problems.set(cellKey, error);
      if (inserted) this.pending.editInserted(shown.id, column.name, value);
      else if (shown.ref && value !== undefined) this.pending.editRow(shown.ref, column.name, value);
    }
    const rebuild = input.kind !== 'text';
    if (rebuild) this.shownId = undefined;
    else field.setStatus({ dirty: this.pending.cell(shown.id, column.name) !== undefined || this.drafts.has(cellKey), error, value, draft: this.drafts.get(cellKey)?.text });
    this.pushPending();
  }

  private get singleIntegerKey(): boolean {
    const keys = this.columns.filter((c) => c.primaryKeyPosition !== undefined);
    return keys.length === 1 && keys[0].kind === 'integer';
  }

  private insertRecord(): void {
    if (this.readOnlyReason || !this.capabilities.insert) return;
    this.pending.insert();
    this.insertIndex = this.pending.insertedRows.length - 1;
    this.alone = undefined;
    this.pushPending();
    [...this.fields.values()].find((f) => !f.column.generated && !f.column.autoIncrement && !f.column.readOnly && f.column.kind !== 'blob')?.focus();
  }

  private deleteRecord(): void {
    const shown = this.current();
    if (this.readOnlyReason || !this.capabilities.delete || this.lockNote(shown) !== undefined) return;
    if (shown.kind === 'insert') {
      showDialog('Discard this new record?', 'It was never saved; its values are dropped.', [
        { label: 'Cancel' },
        {
          label: 'Discard record',
          primary: true,
          run: () => {
            this.pending.delete([{ id: shown.id }]);
            this.insertIndex = undefined;
            this.dropMessages(shown.id);
            this.shownId = undefined;
            this.pushPending();
          },
        },
      ]);
      return;
    }
    if (shown.kind !== 'row' || !shown.ref) return;
    const ref = shown.ref;
    showDialog('Delete this record?', `The record with ${describeKey(ref.key)} is deleted when you save (Discard takes it back until then).`, [
      { label: 'Cancel' },
      {
        label: 'Delete record',
        primary: true,
        run: () => {
          this.pending.delete([{ id: shown.id, ref }]);
          this.dropMessages(shown.id);
          this.shownId = undefined;
          this.pushPending();
        },
      },
    ]);
  }

  private dropMessages(id: string): void {
    for (const map of [this.drafts, this.problems]) for (const key of [...map.keys()]) if (key.startsWith(`${id}\u0000`)) map.delete(key);
  }

  private discard(): void {
    this.pending.discard();
    this.drafts.clear();
    this.problems.clear();
    this.insertIndex = undefined;
    this.strip.hide();
    this.shownId = undefined;
    this.pushPending();
    this.reload();
  }

  /** Problems that keep Save from running: drafts that are not values yet, and values the table would refuse. */
  private blockingProblems(): { id: string; column: string; message: string }[] {
    const out: { id: string; column: string; message: string }[] = [];
    for (const [cellKey, draft] of this.drafts) {
      const [id, column] = cellKey.split('\u0000');
      out.push({ id, column, message: draft.error });
    }
    const { changes, ids } = this.pending.toChanges();
    changes.forEach((change, i) => {
      if (change.kind === 'delete') return;
      const values = change.kind === 'insert' ? change.values : change.changes;
      for (const problem of validateRecord(values, this.columns, change.kind, this.validation)) {
        if (!out.some((p) => p.id === ids[i] && p.column === problem.column)) out.push({ id: ids[i], ...problem });
        this.problems.set(`${ids[i]}\u0000${problem.column}`, problem.message);
      }
    });
    return out;
  }

  private async save(): Promise<void> {
    if (this.saver.saving) return;
    const blocking = this.blockingProblems();
    if (blocking.length > 0) {
      this.shownId = undefined;
      this.render();
      const here = blocking.filter((p) => p.id === this.shownId);
      const first = here[0] ?? blocking[0];
      const showInsert = this.pending.insertedRows.findIndex((i) => i.id === first.id);
      const actions = here.length === 0 && showInsert >= 0 ? [{ label: 'Show it', run: () => ((this.insertIndex = showInsert), (this.shownId = undefined), this.render()) }] : [];
      this.strip.show('error', `Not saved: ${blocking.length === 1 ? `"${first.column}": ${first.message}` : `${blocking.length} fields need fixing, first "${first.column}": ${first.message}`}`, actions);
      this.fields.get(here[0]?.column ?? '')?.focus();
      return;
    }
    if (this.pending.isEmpty) return;
    const shownInsert = this.insertIndex !== undefined ? this.pending.insertedRows[this.insertIndex]?.id : undefined;
    const shownNow = this.current();
    const deletingShown = shownNow.kind === 'row' && this.pending.isDeleted(shownNow.id);
    await this.saver.save((result, ids) => {
      const insertedKey = shownInsert === undefined ? undefined : result.results[ids.indexOf(shownInsert)]?.key;
      if (insertedKey) {
        this.source.reload();
        void this.openKey(insertedKey, 'Saved the new record.');
      } else if (deletingShown && this.alone) {
        // The record shown on its own is gone: continue in the query's rows where the form stood.
        this.source.reload();
        this.goToIndex(this.position);
      } else this.reload();
    });
  }

  /** After a refused save, a way to the record the refusal is about when another one is on screen. */
  private showRecord(id: string | undefined): StripAction[] {
    if (id === undefined || id === this.shownId) return [];
    const insertAt = this.pending.insertedRows.findIndex((i) => i.id === id);
    if (insertAt >= 0) return [{ label: 'Show record', run: () => ((this.insertIndex = insertAt), (this.shownId = undefined), this.render()) }];
    const { changes, ids } = this.pending.toChanges();
    const failed = changes[ids.indexOf(id)];
    return failed && failed.kind !== 'insert' ? [{ label: 'Show record', run: () => void this.openKey(failed.key) }] : [];
  }

  /** Tells the host (dirty title, close prompt) and the saved state about the pending edits. */
  private pushPending(render = true): void {
    const { changes } = this.pending.toChanges();
    this.client.setPendingChanges(changes);
    // Hold the lock of exactly the records with unsaved updates or deletes (saved or discarded: released).
    this.locks?.sync(changes.flatMap((c) => (c.kind === 'insert' ? [] : [c.key])));
    this.persist();
    if (render) this.render();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Keyboard, message strip, state
  // ------------------------------------------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    if (primaryModifier(e) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void this.save();
      return;
    }
    const inEditor = (e.target as HTMLElement | null)?.closest?.('.field, .go-to, .dialog') !== null && e.target !== document.body;
    if (inEditor) return;
    if (e.key === 'PageDown') {
      e.preventDefault();
      this.step('next');
    } else if (e.key === 'PageUp') {
      e.preventDefault();
      this.step('previous');
    }
  }

  private savedDrafts(): SavedDraft[] {
    const inserts = this.pending.insertedRows.map((i) => i.id);
    const out: SavedDraft[] = [];
    for (const [cellKey, draft] of this.drafts) {
      const [id, column] = cellKey.split('\u0000');
      const insert = inserts.indexOf(id);
      if (isInsertedId(id) && insert < 0) continue;
      out.push({ row: isInsertedId(id) ? { insert } : { id }, column, ...draft });
    }
    return out;
  }

  private saveState(): void {
    const state: FormState = {
      version: 1,
      query: encodeQuery(this.query),
      ...(this.alone ? {} : { position: this.position }),
      ...(this.alone?.key ? { focus: encodeRecord(this.alone.key) } : {}),
      ...(this.insertIndex !== undefined ? { insert: this.insertIndex } : {}),
      pending: this.pending.toChanges().changes.map(encodeChange),
      drafts: this.savedDrafts(),
    };
    this.client.setState(state);
  }
}

/** Kinds where the empty string is a value of its own; elsewhere an emptied field means NULL (or the default). */
function textual(column: ColumnSchema): boolean {
  return column.kind === 'text' || column.kind === 'other' || column.kind === 'set' || column.kind === 'array';
}

export function describeKey(key: RowKey): string {
  return Object.entries(key)
    .map(([c, v]) => `${c} = ${v === null ? 'NULL' : v instanceof Uint8Array ? `${v.length} bytes` : String(v)}`)
    .join(', ');
}

