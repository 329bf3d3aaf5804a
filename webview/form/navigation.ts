// Which record the form shows: a position in the query's rows, a record on its own (opened by key and not
// locatable in the query), or a pending insert; stepping, going to a row number, opening a key, and re-reading.
import type { CellValue, RowKey, RowValues } from '../../api';
import { keyFilters, type NavStep, parseGoTo, stepTarget } from '../../shared/formNavigation';
import { rowsBeforeBranches } from '../../shared/rowsBefore';
import { messageOf } from '../shared/errorMessage';
import { rowIdOf, type RowRef } from '../shared/model/pendingChanges';
import { el } from '../shared/dom';
import type { FormApp } from './app';

/** The record on screen. */
export type Shown =
  | { kind: 'loading' }
  | { kind: 'empty'; message: string }
  | { kind: 'row'; id: string; ref: RowRef | undefined; values: RowValues; note?: string }
  | { kind: 'insert'; id: string };

export class RecordNavigation {
  constructor(private readonly app: FormApp) {}

  get total(): number | undefined {
    const end = this.app.source.cache.knownEnd;
    if (end !== undefined) return end;
    const count = this.app.source.displayCount;
    return count && count.exact && !count.capped ? count.count : undefined;
  }

  current(): Shown {
    if (this.app.insertIndex !== undefined) {
      const insert = this.app.pending.insertedRows[this.app.insertIndex];
      if (insert) return { kind: 'insert', id: insert.id };
      this.app.insertIndex = undefined;
    }
    if (this.app.alone) return this.rowShown(this.app.alone.values, this.app.alone.key, this.app.alone.note);
    const row = this.app.source.row(this.app.position);
    if (row) {
      const values: RowValues = {};
      this.app.columns.forEach((c, i) => (values[c.name] = row.values[i]));
      return this.rowShown(values, row.key);
    }
    if (this.app.source.started && this.total !== undefined && this.app.position >= this.total) {
      const filtered = (this.app.query.filters?.length ?? 0) > 0 || !!this.app.query.search;
      return { kind: 'empty', message: this.total === 0 ? (filtered ? 'No rows match the filters.' : 'This table has no rows.') : 'There is no row here any more.' };
    }
    return { kind: 'loading' };
  }

  private rowShown(values: RowValues, key: RowKey | null, note?: string): Shown {
    const ref = key ? { key, values } : undefined;
    return { kind: 'row', id: key ? rowIdOf(key) : `row:${this.app.position}`, ref, values, ...(note ? { note } : {}) };
  }

  rowsChanged(): void {
    if (this.app.source.started && this.total !== undefined && this.total > 0 && this.app.position >= this.total && !this.app.alone && this.app.insertIndex === undefined) {
      // Rows went away (deleted here or elsewhere): stay on the last one there is.
      this.goToIndex(this.total - 1);
      return;
    }
    this.app.view.render();
  }

  goToIndex(index: number): void {
    this.app.alone = undefined;
    this.app.insertIndex = undefined;
    this.app.position = Math.max(0, index);
    this.app.source.want(this.app.position, this.app.position + 1);
    this.app.view.render();
    this.app.persist();
  }

  step(step: NavStep): void {
    if (this.app.insertIndex !== undefined || this.app.alone) {
      // From a record shown on its own, the steps lead back into the query's rows.
      if (step === 'last') {
        if (this.total !== undefined && this.total > 0) this.goToIndex(this.total - 1);
      } else this.goToIndex(step === 'first' ? 0 : this.app.position);
      return;
    }
    const target = stepTarget(step, this.app.position, this.total);
    if (target !== undefined) this.goToIndex(target);
  }

  goToTyped(): void {
    const parsed = parseGoTo(this.app.toolbar.goTo.value, this.total);
    if (!parsed.ok) {
      this.app.strip.show('info', parsed.error, [], 4_000);
      return;
    }
    this.app.toolbar.goTo.value = '';
    this.goToIndex(parsed.index);
  }

  /**
   * Shows the record with `key`: at its position in the query when the rows before it can be counted exactly,
   * otherwise on its own with a note that says why (the steps then lead back into the query).
   */
  async openKey(key: RowKey, note?: string): Promise<void> {
    this.app.insertIndex = undefined;
    this.app.alone = undefined;
    this.app.shownId = undefined;
    this.app.form.replaceChildren(el('div', 'form-loading', 'Loading the record…'));
    try {
      const inQuery = await this.app.client.readRows({ ...this.app.query, filters: [...(this.app.query.filters ?? []), ...keyFilters(key)], limit: 1 });
      let why = 'it does not match the active filters';
      if (inQuery.rows.length === 1) {
        const found = await this.countBefore(key, inQuery);
        if (typeof found === 'number') {
          // Re-read with the real query so Nocoflo's record of this tab's query is not the lookup's (see below).
          this.app.source.reload();
          this.goToIndex(found);
          if (note) this.app.strip.show('success', note, [], 4_000);
          return;
        }
        why = found.why;
      }
      const page = inQuery.rows.length === 1 ? inQuery : await this.app.client.readRows({ filters: keyFilters(key), limit: 1 });
      if (page.rows.length === 0) {
        this.app.strip.show('info', `No record with ${describeKey(key)} (it may have been deleted).`);
        this.goToIndex(0);
        return;
      }
      const values: RowValues = {};
      page.columns.forEach((c, i) => (values[c] = page.rows[0][i] ?? null));
      if (inQuery.rows.length === 0 && !((this.app.query.filters?.length ?? 0) > 0 || this.app.query.search)) why = 'it is not among the rows of this view';
      this.app.alone = { values, key: page.keys[0] ?? key, note: note ?? `Showing ${describeKey(key)} on its own: ${why}. First / Next lead back into the rows.` };
      // Nocoflo takes a tab's query from the reads it sends (Switch View hands it on): end with the real query's
      // reads, not the key lookup's, which also readies "First".
      this.app.source.reload();
      this.app.source.want(0, 1);
      this.app.view.render();
      this.app.persist();
    } catch (error) {
      this.app.strip.show('error', `Could not read the record: ${messageOf(error)}`);
      this.goToIndex(0);
    }
  }

  /**
   * The record's index in the query: the exact counts of the rows before it, one per AND-only branch, added up.
   * A datasource that only estimates, or refuses a branch's filter, leaves the position untold, with the reason.
   */
  private async countBefore(key: RowKey, page: { columns: string[]; rows: CellValue[][] }): Promise<number | { why: string }> {
    const values: Record<string, CellValue> = {};
    page.columns.forEach((c, i) => (values[c] = page.rows[0][i] ?? null));
    const keyColumns = this.app.schema.rowKey?.columns ?? this.app.schema.primaryKey;
    const nullable = (name: string) => this.app.columns.find((c) => c.name === name)?.nullable ?? true;
    const plan = rowsBeforeBranches({ ...values, ...key }, keyColumns, this.app.query.sort, nullable);
    if (!plan.ok) return { why: `its position in this order cannot be told: ${plan.why}` };
    const filters = this.app.query.filters ?? [];
    const search = this.app.query.search ? { search: this.app.query.search } : {};
    try {
      const counts = await Promise.all(plan.branches.map((branch) => this.app.client.countRows({ filters: [...filters, ...branch], ...search })));
      if (counts.some((c) => !c.exact || c.capped)) return { why: 'its position in this order cannot be told: the datasource only estimates the rows before it' };
      return counts.reduce((sum, c) => sum + c.count, 0);
    } catch (error) {
      return { why: `its position in this order cannot be told: counting the rows before it failed (${messageOf(error)})` };
    }
  }

  reload(): void {
    this.app.shownId = undefined;
    if (this.app.alone?.key) {
      void this.openKey(this.app.alone.key, this.app.alone.note);
      return;
    }
    this.app.source.reload();
    this.app.source.want(this.app.position, this.app.position + 1);
  }
}

export function describeKey(key: RowKey): string {
  return Object.entries(key)
    .map(([c, v]) => `${c} = ${v === null ? 'NULL' : v instanceof Uint8Array ? `${v.length} bytes` : String(v)}`)
    .join(', ');
}

