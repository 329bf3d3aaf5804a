import type { ColumnSchema, RowKey, RowValues, TableSchema } from '../../api';
import { failedColumn, type ValidationOptions } from '../../shared/fieldValidation';
import { decodeChange, encodeChange, encodeQuery } from '../../shared/protocolCodec';
import { encodeRecord } from '../../shared/values';
import { showConflict } from '../shared/conflictDialog';
import { showDialog } from '../shared/dialogs';
import { codicon, throttle, el, primaryModifier } from '../shared/dom';
import { MessageStrip } from '../shared/messageStrip';
import { PendingChanges } from '../shared/model/pendingChanges';
import { RowSource } from '../shared/model/rowSource';
import { noticeText } from '../shared/model/schemaNotices';
import { SaveController, type StripAction } from '../shared/saveController';
import { DraftEdits } from './drafts';
import type { FieldView } from './fieldView';
import type { FormClient, ViewQuery } from './formClient';
import { FormToolbar } from './formToolbar';
import { ForeignKeys } from './foreignKeys';
import { type FormState, restoreFormState } from './model/formState';
import { describeKey, RecordNavigation } from './navigation';
import { lockTime, RecordLocks } from './recordLocks';
import { RecordView } from './recordView';

const PAGE_SIZE = 50;

/**
 * The form view: one record at a time, walking the rows of the table's query (the one it was opened with, from
 * the view it was switched from) through the view client, with the grid's pending-change model, save, conflicts
 * and read-only rules. Everything goes through `client`, the door every view uses. This object holds the form's
 * state and its record actions; the toolbar, record navigation, rendering and drafts are parts in their own files
 * that reach the state through it.
 */
export class FormApp {
  readonly schema: TableSchema;
  readonly columns: ColumnSchema[];
  readonly readOnlyReason: string | undefined;
  query: ViewQuery;
  position = 0;
  /** A record shown on its own (opened by key and not locatable in the query, or just inserted). */
  alone: { values: RowValues; key: RowKey | null; note?: string } | undefined;
  /** The pending insert on screen, by its index among the inserts. */
  insertIndex: number | undefined;
  readonly source: RowSource;
  readonly pending: PendingChanges;
  fields = new Map<string, FieldView>();
  shownId: string | undefined;
  readonly saver: SaveController;
  readonly validation: ValidationOptions;
  readonly foreignKeys: ForeignKeys;
  readonly persist = throttle(250, () => this.saveState());
  /** Row locks: this tab's, while it has edits for a record, and who else is editing which record. */
  locks: RecordLocks | undefined;
  /** The lock note the shown record was rendered with, to re-render only when it changes. */
  shownLock: string | undefined;

  private readonly banner: HTMLDivElement;
  readonly strip = new MessageStrip();
  readonly querySummary: HTMLDivElement;
  readonly note: HTMLDivElement;
  readonly form: HTMLDivElement;
  readonly referencesHost: HTMLDivElement;
  readonly toolbar: FormToolbar;
  readonly navigation = new RecordNavigation(this);
  readonly view = new RecordView(this);
  readonly edits = new DraftEdits(this);

  constructor(
    readonly client: FormClient,
    readonly root: HTMLElement,
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
      savingChanged: () => this.toolbar.update(),
      pendingChanged: () => this.pushPending(),
      reloadRows: () => this.source.reload(),
      cleared: () => {
        this.edits.problems.clear();
        this.insertIndex = undefined;
        this.shownId = undefined;
      },
      refused: (failure, id) => {
        const column = failedColumn(failure, this.schema.table.name, this.columns);
        if (id !== undefined && column) this.edits.problems.set(`${id}\u0000${column}`, failure.message);
        this.shownId = undefined;
        return column;
      },
      locate: (id) => ({ actions: this.showRecord(id) }),
      retry: () => void this.save(),
      reverted: (id) => {
        this.edits.dropMessages(id);
        this.shownId = undefined;
      },
      reloadAfterConflict: () => this.navigation.reload(),
    });
    if (restored.insert !== undefined && restored.insert < this.pending.insertedRows.length) this.insertIndex = restored.insert;
    for (const draft of restored.drafts ?? []) {
      const id = 'id' in draft.row ? draft.row.id : this.pending.insertedRows[draft.row.insert]?.id;
      if (id !== undefined && this.columns.some((c) => c.name === draft.column)) this.edits.drafts.set(`${id}\u0000${draft.column}`, { text: draft.text, error: draft.error });
    }

    root.classList.add('view-app', 'form-app');
    this.banner = el('div', 'readonly-banner');
    this.banner.setAttribute('role', 'note');
    this.banner.hidden = this.readOnlyReason === undefined;
    if (this.readOnlyReason !== undefined) this.banner.append(codicon('lock'), el('span', 'readonly-text', `Read-only: ${this.readOnlyReason}`));

    this.toolbar = new FormToolbar(this);

    this.querySummary = el('div', 'query-summary');
    this.note = el('div', 'record-note');
    this.note.hidden = true;
    this.form = el('div', 'form-fields');
    this.referencesHost = el('div', 'form-references');
    const scroller = el('div', 'form-scroller');
    scroller.append(this.note, this.form, this.referencesHost);
    root.replaceChildren(this.banner, this.toolbar.element, this.querySummary, this.strip.element, scroller);
    // The datasource's warnings about this table's data (TableSchema.notices), e.g. rows that break a foreign key.
    const notices = noticeText(this.schema);
    if (notices !== undefined) this.strip.show('warning', notices);

    this.foreignKeys = new ForeignKeys(client, this.schema, {
      choose: (column, value) => {
        const field = this.fields.get(column);
        if (field) this.edits.input(field, { kind: 'value', value });
      },
      log: (message) => client.log('warn', message),
    });

    this.source = new RowSource(
      client,
      this.columns.map((c) => c.name),
      {
        changed: () => this.navigation.rowsChanged(),
        failed: (message) => this.strip.show('error', `Could not read rows: ${message}`, [{ label: 'Retry', run: () => this.source.retry() }]),
      },
      { pageSize: PAGE_SIZE, maxPages: 20 },
    );
    this.source.setQuery(this.query);
    this.view.renderQuery();
    this.locks = new RecordLocks(client, {
      changed: () => {
        if (this.view.lockNote(this.navigation.current()) === this.shownLock) return;
        this.shownId = undefined;
        this.view.render();
      },
      refused: (owner, since) =>
        this.strip.show(
          'error',
          `Locked by ${owner} since ${lockTime(since)}: they are editing this record in another tab or window. Your change stays pending; Save still checks that nobody changed the record since you read it.`,
        ),
      failed: (message) => client.log('warn', `row lock: ${message}`),
    });

    document.addEventListener('keydown', (e) => this.onKey(e));
    client.onRefresh(() => this.navigation.reload());
    // openView aimed at this open tab (a followed foreign key, "Open row in form"): show that row.
    client.onFocus?.((target) => {
      if (target.query) this.view.setQuery(target.query);
      if (target.key) void this.navigation.openKey(target.key);
      else if (target.query) this.navigation.goToIndex(0);
    });
    window.addEventListener('beforeunload', () => this.persist.flush());

    const focus = restored.focus;
    if (this.insertIndex !== undefined) this.view.render();
    else if (focus) void this.navigation.openKey(focus);
    else this.navigation.goToIndex(this.position);
    this.pushPending(false);
  }

  get capabilities() {
    return this.client.init.capabilities;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Records: insert, delete, discard, save
  // ------------------------------------------------------------------------------------------------------------

  insertRecord(): void {
    if (this.readOnlyReason || !this.capabilities.insert) return;
    this.pending.insert();
    this.insertIndex = this.pending.insertedRows.length - 1;
    this.alone = undefined;
    this.pushPending();
    [...this.fields.values()].find((f) => !f.column.generated && !f.column.autoIncrement && !f.column.readOnly && f.column.kind !== 'blob')?.focus();
  }

  deleteRecord(): void {
    const shown = this.navigation.current();
    if (this.readOnlyReason || !this.capabilities.delete || this.view.lockNote(shown) !== undefined) return;
    if (shown.kind === 'insert') {
      showDialog('Discard this new record?', 'It was never saved; its values are dropped.', [
        { label: 'Cancel' },
        {
          label: 'Discard record',
          primary: true,
          run: () => {
            this.pending.delete([{ id: shown.id }]);
            this.insertIndex = undefined;
            this.edits.dropMessages(shown.id);
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
          this.edits.dropMessages(shown.id);
          this.shownId = undefined;
          this.pushPending();
        },
      },
    ]);
  }

  discard(): void {
    this.pending.discard();
    this.edits.drafts.clear();
    this.edits.problems.clear();
    this.insertIndex = undefined;
    this.strip.hide();
    this.shownId = undefined;
    this.pushPending();
    this.navigation.reload();
  }

  async save(): Promise<void> {
    if (this.saver.saving) return;
    const blocking = this.edits.blockingProblems();
    if (blocking.length > 0) {
      this.shownId = undefined;
      this.view.render();
      const here = blocking.filter((p) => p.id === this.shownId);
      const first = here[0] ?? blocking[0];
      const showInsert = this.pending.insertedRows.findIndex((i) => i.id === first.id);
      const actions = here.length === 0 && showInsert >= 0 ? [{ label: 'Show it', run: () => ((this.insertIndex = showInsert), (this.shownId = undefined), this.view.render()) }] : [];
      this.strip.show('error', `Not saved: ${blocking.length === 1 ? `"${first.column}": ${first.message}` : `${blocking.length} fields need fixing, first "${first.column}": ${first.message}`}`, actions);
      this.fields.get(here[0]?.column ?? '')?.focus();
      return;
    }
    if (this.pending.isEmpty) return;
    const shownInsert = this.insertIndex !== undefined ? this.pending.insertedRows[this.insertIndex]?.id : undefined;
    const shownNow = this.navigation.current();
    const deletingShown = shownNow.kind === 'row' && this.pending.isDeleted(shownNow.id);
    await this.saver.save((result, ids) => {
      const insertedKey = shownInsert === undefined ? undefined : result.results[ids.indexOf(shownInsert)]?.key;
      if (insertedKey) {
        this.source.reload();
        void this.navigation.openKey(insertedKey, 'Saved the new record.');
      } else if (deletingShown && this.alone) {
        // The record shown on its own is gone: continue in the query's rows where the form stood.
        this.source.reload();
        this.navigation.goToIndex(this.position);
      } else this.navigation.reload();
    });
  }

  /** After a refused save, a way to the record the refusal is about when another one is on screen. */
  private showRecord(id: string | undefined): StripAction[] {
    if (id === undefined || id === this.shownId) return [];
    const insertAt = this.pending.insertedRows.findIndex((i) => i.id === id);
    if (insertAt >= 0) return [{ label: 'Show record', run: () => ((this.insertIndex = insertAt), (this.shownId = undefined), this.view.render()) }];
    const { changes, ids } = this.pending.toChanges();
    const failed = changes[ids.indexOf(id)];
    return failed && failed.kind !== 'insert' ? [{ label: 'Show record', run: () => void this.navigation.openKey(failed.key) }] : [];
  }

  /** Tells the host (dirty title, close prompt) and the saved state about the pending edits. */
  pushPending(render = true): void {
    const { changes } = this.pending.toChanges();
    this.client.setPendingChanges(changes);
    // Hold the lock of exactly the records with unsaved updates or deletes (saved or discarded: released).
    this.locks?.sync(changes.flatMap((c) => (c.kind === 'insert' ? [] : [c.key])));
    this.persist();
    if (render) this.view.render();
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
      this.navigation.step('next');
    } else if (e.key === 'PageUp') {
      e.preventDefault();
      this.navigation.step('previous');
    }
  }

  private saveState(): void {
    const state: FormState = {
      version: 1,
      query: encodeQuery(this.query),
      ...(this.alone ? {} : { position: this.position }),
      ...(this.alone?.key ? { focus: encodeRecord(this.alone.key) } : {}),
      ...(this.insertIndex !== undefined ? { insert: this.insertIndex } : {}),
      pending: this.pending.toChanges().changes.map(encodeChange),
      drafts: this.edits.savedDrafts(),
    };
    this.client.setState(state);
  }
}
