// The Audit Log view: filters, a page of entries grouped by batch (one Save), each with its old → new values, and
// Undo buttons whose outcome (done, or the host's reason for refusing) is shown in the status line. Talks to the
// host only through shared/auditProtocol.ts; the filter and page survive a hidden tab through setState.
import {
  AUDIT_OPERATIONS,
  auditKeyText,
  auditSourceText,
  auditValueText,
  type AuditEntry,
  type AuditFilter,
  type AuditInit,
  type AuditMethod,
  type AuditNotification,
  type AuditPage,
  type AuditRequests,
  type UndoTarget,
} from '../../shared/auditProtocol';
import type { RpcClient } from '../../shared/rpcClient';
import { startToolClient, type ToolHost } from '../shared/toolClient';
import { button, debounce, el, setDisabled } from '../shared/dom';

interface SavedState {
  filter: AuditFilter;
  offset: number;
}

type Select = HTMLElement & { value: string };
type TextField = HTMLElement & { value: string };

const UNDO_TIMEOUT_MS = 10 * 60_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/;

export class AuditApp {
  private init?: AuditInit;
  private filter: AuditFilter = {};
  private offset = 0;
  private page?: AuditPage;
  private readonly client: RpcClient<AuditRequests>;
  private readonly status = el('div', 'audit-status');
  private readonly list = el('div', 'audit-list');
  private readonly pager = el('div', 'audit-pager');
  private readonly filters = el('div', 'audit-filters');
  private busy = false;

  constructor(
    private readonly host: ToolHost,
    private readonly root: HTMLElement,
  ) {
    this.status.setAttribute('role', 'status');
    root.textContent = 'Loading…';
    this.client = startToolClient<AuditRequests, AuditNotification>(host, (message) => this.receive(message));
  }

  private receive(message: AuditNotification): void {
    switch (message.type) {
      case 'init': {
        this.init = message.init;
        const saved = this.host.getState() as SavedState | undefined;
        // A filter from the host (a table's context menu) wins; otherwise the tab continues where it was.
        const same = saved && JSON.stringify(saved.filter) === JSON.stringify(message.init.filter);
        this.filter = { ...message.init.filter };
        this.offset = same ? saved.offset : 0;
        this.render();
        void this.load();
        return;
      }
      case 'changed':
        if (this.init) void this.load();
    }
  }

  private request<M extends AuditMethod>(method: M, params: AuditRequests[M]['params']): Promise<AuditRequests[M]['result']> {
    // An undo is a save: like the views' saves, it may wait on the datasource for a while.
    return this.client.request(method, params, method === 'undo' ? { timeoutMs: UNDO_TIMEOUT_MS } : {});
  }

  private save(): void {
    this.host.setState({ filter: this.filter, offset: this.offset } satisfies SavedState);
  }

  private async load(): Promise<void> {
    if (!this.init) return;
    this.save();
    try {
      const page = await this.request('query', { filter: this.filter, offset: this.offset, limit: this.init.pageSize });
      if (page.entries.length === 0 && page.total > 0 && this.offset > 0) {
        // The page emptied (retention, another window): show the last one that has entries.
        this.offset = Math.max(0, Math.floor((page.total - 1) / this.init.pageSize) * this.init.pageSize);
        return this.load();
      }
      this.page = page;
      this.renderEntries();
    } catch (error) {
      this.showStatus(`Could not read the audit log: ${(error as Error).message}`, 'error');
    }
  }

  private setFilter(change: Partial<AuditFilter>): void {
    const next: AuditFilter = { ...this.filter };
    for (const [key, value] of Object.entries(change) as [keyof AuditFilter, string | undefined][]) {
      if (value === undefined || value === '') delete next[key];
      else (next as Record<string, string>)[key] = value;
    }
    // A datasource change makes a schema from the old one meaningless.
    if ('datasourceId' in change) delete next.schema;
    this.filter = next;
    this.offset = 0;
    void this.load();
  }

  // ----- rendering ---------------------------------------------------------------------------------------------

  private render(): void {
    const init = this.init!;
    this.root.replaceChildren();
    const header = el('div', 'audit-header');
    header.append(el('h1', 'audit-title', 'Audit Log'), button('Refresh', 'refresh', () => void this.load()));
    this.filters.replaceChildren(
      this.labelled('Datasource', this.select('datasource', [['', 'All datasources'], ...init.datasources.map((d) => [d.id, d.name] as [string, string])], this.filter.datasourceId ?? '', (v) => this.setFilter({ datasourceId: v }))),
      this.labelled('Table', this.text('table', 'any table', this.filter.table ?? '', (v) => this.setFilter({ table: v.trim() }))),
      this.labelled('User', this.select('user', [['', 'All users'], ...init.users.map((u) => [u, u] as [string, string])], this.filter.user ?? '', (v) => this.setFilter({ user: v }))),
      this.labelled('Operation', this.select('operation', [['', 'All operations'], ...AUDIT_OPERATIONS.map((o) => [o, o] as [string, string])], this.filter.operation ?? '', (v) => this.setFilter({ operation: v as AuditFilter['operation'] }))),
      this.labelled('From', this.text('from', 'YYYY-MM-DD', this.filter.from ?? '', (v) => this.dateFilter('from', v))),
      this.labelled('To', this.text('to', 'YYYY-MM-DD', this.filter.to ?? '', (v) => this.dateFilter('to', v))),
    );
    if (this.filter.schema !== undefined) {
      // Set from a schema's context menu; there is no field for it, so it shows as a removable chip.
      const chip = el('span', 'audit-chip', `schema ${this.filter.schema}`);
      chip.append(button('Any schema', 'close', () => {
        delete this.filter.schema;
        this.offset = 0;
        this.render();
        void this.load();
      }));
      this.filters.append(this.labelled('Schema', chip));
    }
    this.root.append(header, this.filters, this.status, this.list, this.pager);
  }

  private dateFilter(which: 'from' | 'to', value: string): void {
    const text = value.trim();
    if (text !== '' && !ISO_DATE.test(text)) {
      this.showStatus(`"${text}" is not a date: use 2026-12-01 or 2026-12-01T09:30 (UTC).`, 'error');
      return;
    }
    this.showStatus('', 'info');
    this.setFilter({ [which]: text });
  }

  private labelled(label: string, control: HTMLElement): HTMLElement {
    const wrap = el('label', 'audit-filter');
    wrap.append(el('span', 'audit-filter-label', label), control);
    return wrap;
  }

  private select(name: string, options: [string, string][], selected: string, onSelect: (value: string) => void): HTMLElement {
    const select = document.createElement('vscode-single-select') as unknown as Select;
    select.classList.add(`filter-${name}`);
    select.setAttribute('aria-label', name);
    for (const [value, text] of options) {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', value);
      option.textContent = text;
      if (value === selected) option.setAttribute('selected', '');
      select.append(option);
    }
    select.addEventListener('change', () => onSelect(select.value));
    return select;
  }

  private text(name: string, placeholder: string, value: string, onChange: (value: string) => void): HTMLElement {
    const field = document.createElement('vscode-textfield') as unknown as TextField;
    field.classList.add(`filter-${name}`);
    field.setAttribute('placeholder', placeholder);
    field.setAttribute('aria-label', name);
    field.value = value;
    const later = debounce(500, () => onChange(field.value));
    field.addEventListener('input', () => later());
    field.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') later.flush();
    });
    return field;
  }

  private showStatus(text: string, kind: 'info' | 'ok' | 'error'): void {
    this.status.textContent = text;
    this.status.className = `audit-status ${kind}`;
  }

  private renderEntries(): void {
    const page = this.page!;
    const size = this.init!.pageSize;
    this.list.replaceChildren();
    if (page.entries.length === 0) this.list.append(this.emptyState());
    // Consecutive entries of one Save form a group; a batch split over two pages shows as two groups.
    const groups: AuditEntry[][] = [];
    for (const entry of page.entries) {
      const last = groups[groups.length - 1];
      if (last && last[0]!.batchId === entry.batchId) last.push(entry);
      else groups.push([entry]);
    }
    for (const group of groups) this.list.append(this.renderBatch(group));
    const from = page.total === 0 ? 0 : page.offset + 1;
    const to = page.offset + page.entries.length;
    const newer = button('Newer', 'chevron-left', () => {
      this.offset = Math.max(0, this.offset - size);
      void this.load();
    });
    const older = button('Older', 'chevron-right', () => {
      this.offset += size;
      void this.load();
    });
    setDisabled(newer, page.offset === 0);
    setDisabled(older, to >= page.total);
    this.pager.replaceChildren(newer, el('span', 'audit-range', `${from}–${to} of ${page.total}`), older);
  }

  /** Why the list is empty, and the way out when it is the filters that hide everything. */
  private emptyState(): HTMLElement {
    const empty = el('div', 'audit-empty');
    if (Object.keys(this.filter).length === 0) {
      empty.append(el('p', 'audit-empty-title', 'No changes recorded yet.'), el('p', 'audit-empty-hint', 'Every save made through Nocoflo appears here, with its old and new values, ready to undo.'));
      return empty;
    }
    const clear = button('Clear filters', 'clear-all', () => {
      this.filter = {};
      this.offset = 0;
      this.render();
      void this.load();
    });
    clear.classList.add('audit-clear-filters');
    empty.append(el('p', 'audit-empty-title', 'No changes match these filters.'), el('p', 'audit-empty-hint', 'Changes recorded under other filters are still in the log.'), clear);
    return empty;
  }

  private renderBatch(entries: AuditEntry[]): HTMLElement {
    const first = entries[0]!;
    const batch = el('section', 'audit-batch');
    batch.dataset.batch = first.batchId;
    const head = el('div', 'batch-head');
    const datasource = this.init!.datasources.find((d) => d.id === first.datasourceId)?.name ?? `${first.datasourceId} (removed)`;
    const where = `${datasource} › ${first.schema ? `${first.schema}.` : ''}${first.table}`;
    head.append(
      el('span', 'batch-time', new Date(first.at).toLocaleString()),
      el('span', 'batch-user', first.user),
      el('span', 'batch-where', where),
      el('span', 'batch-source', auditSourceText(first.source, this.init!.sources)),
      el('span', 'batch-count', entries.length === 1 ? '1 change' : `${entries.length} changes`),
    );
    if (entries.length > 1) {
      const undoBatch = button('Undo batch', 'discard', () => void this.undo({ batchId: first.batchId }, `the batch of ${entries.length} changes`));
      undoBatch.classList.add('undo-batch');
      setDisabled(undoBatch, entries.every((e) => e.undoneBy !== undefined));
      head.append(undoBatch);
    }
    batch.append(head);
    for (const entry of entries) batch.append(this.renderEntry(entry));
    return batch;
  }

  private renderEntry(entry: AuditEntry): HTMLElement {
    const item = el('div', `audit-entry op-${entry.operation}`);
    item.dataset.entry = String(entry.id);
    const head = el('div', 'entry-head');
    head.append(el('span', `entry-op op-${entry.operation}`, entry.operation), el('span', 'entry-key', auditKeyText(entry.key)), el('span', 'entry-id', `#${entry.id}`));
    if (entry.undoOf !== undefined) head.append(el('span', 'entry-mark', `undo of #${entry.undoOf}`));
    if (entry.undoneBy !== undefined) head.append(el('span', 'entry-mark undone', `undone by #${entry.undoneBy}`));
    if (entry.truncated) head.append(el('span', 'entry-mark truncated', 'values too large to keep: cannot be undone'));
    if (entry.operation === 'statement') {
      // Nocoflo cannot know which rows a statement changed, so there is nothing to undo; its text is the record.
      head.append(el('span', 'entry-mark', 'statement: cannot be undone'));
      item.append(head, this.renderStatement(entry));
      return item;
    }
    const undo = button('Undo change', 'discard', () => void this.undo({ entryId: entry.id }, `change #${entry.id}`));
    undo.classList.add('undo-change');
    setDisabled(undo, entry.undoneBy !== undefined || entry.truncated);
    head.append(undo);
    item.append(head, this.renderValues(entry));
    return item;
  }

  private renderStatement(entry: AuditEntry): HTMLElement {
    const values = entry.newValues ?? {};
    const box = el('div', 'entry-statement');
    box.append(el('pre', 'statement-text', auditValueText(values.statement)));
    const details = Object.keys(values).filter((k) => k !== 'statement').map((k) => `${k}: ${auditValueText(values[k])}`);
    if (details.length > 0) box.append(el('div', 'statement-details', details.join(' · ')));
    return box;
  }

  private renderValues(entry: AuditEntry): HTMLElement {
    const table = el('table', 'entry-values');
    const columns = [...new Set([...Object.keys(entry.oldValues ?? {}), ...Object.keys(entry.newValues ?? {})])];
    for (const column of columns) {
      const row = el('tr');
      const old = entry.oldValues ? auditValueText(entry.oldValues[column]) : '';
      const now = entry.newValues ? auditValueText(entry.newValues[column]) : '';
      row.append(el('th', 'value-column', column), el('td', 'value-old', old), el('td', 'value-arrow', '→'), el('td', 'value-new', now));
      table.append(row);
    }
    return table;
  }

  private async undo(target: UndoTarget, what: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.showStatus(`Undoing ${what}…`, 'info');
    try {
      const outcome = await this.request('undo', target);
      if (outcome.ok) this.showStatus(outcome.message, 'ok');
      else this.showStatus(`Not undone: ${outcome.reason}`, 'error');
    } catch (error) {
      this.showStatus(`Not undone: ${(error as Error).message}`, 'error');
    } finally {
      this.busy = false;
      await this.load();
    }
  }
}
