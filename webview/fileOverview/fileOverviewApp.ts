// The file overview: the database at a glance — every table and view with its row count, columns, types and keys
// — and a way into each table's usual tab. The host re-sends the whole state whenever something arrives (a count,
// a changed file), so the page only draws it; the scroll position survives the tab being hidden (setState).
import type { RowCount } from '../../api';
import type { FileOverviewNotification, FileOverviewRequests, FileOverviewState, OverviewTable } from '../../shared/fileOverviewProtocol';
import type { RpcClient } from '../../shared/rpcClient';
import { button, codicon, el } from '../shared/dom';
import { messageOf } from '../shared/errorMessage';
import { startToolClient, type ToolHost } from '../shared/toolClient';

interface SavedState {
  scrollTop: number;
}

const grouped = new Intl.NumberFormat('en-US');

export function rowsText(rows: RowCount | undefined, problem: string | undefined): string {
  if (!rows) return problem ? 'rows unknown' : 'counting…';
  const n = rows.capped ? `${grouped.format(rows.count)}+` : rows.exact ? grouped.format(rows.count) : `~${new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(rows.count)}`;
  return `${n} ${rows.count === 1 && rows.exact && !rows.capped ? 'row' : 'rows'}`;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export class FileOverviewApp {
  private state: FileOverviewState | undefined;
  private readonly client: RpcClient<FileOverviewRequests>;
  private note: { kind: 'ok' | 'error'; text: string } | undefined;
  private restoredScroll: number | undefined;

  constructor(
    private readonly host: ToolHost,
    private readonly root: HTMLElement,
  ) {
    this.restoredScroll = (host.getState() as SavedState | undefined)?.scrollTop;
    root.textContent = 'Reading the file…';
    this.client = startToolClient<FileOverviewRequests, FileOverviewNotification>(host, (message) => {
      this.state = message.state;
      this.render();
    });
    window.addEventListener('scroll', () => host.setState({ scrollTop: document.scrollingElement?.scrollTop ?? 0 } satisfies SavedState), { passive: true });
  }

  private render(): void {
    const state = this.state!;
    const scroll = this.restoredScroll ?? document.scrollingElement?.scrollTop ?? 0;
    const page = el('div', 'overview-page');
    const head = el('div', 'overview-head');
    const title = el('h1', 'overview-title');
    title.append(codicon('database'), el('span', '', state.datasourceName));
    head.append(title);
    if (state.kept) head.append(el('span', 'overview-kept', 'In the Nocoflo sidebar'));
    else head.append(button('Keep in Sidebar', 'pin', () => void this.keep(), { secondary: true, title: 'Keep this file among your connections after this editor closes' }));
    page.append(head);
    const facts = [state.file, state.sizeBytes > 0 ? sizeText(state.sizeBytes) : ''];
    if (state.tables) facts.push(`${state.tables.filter((t) => t.kind !== 'view').length} tables, ${state.tables.filter((t) => t.kind === 'view').length} views`);
    page.append(el('p', 'overview-facts', facts.filter(Boolean).join(' · ')));
    if (this.note) {
      const note = el('div', `overview-note ${this.note.kind}`, this.note.text);
      note.setAttribute('role', this.note.kind === 'error' ? 'alert' : 'status');
      page.append(note);
    }
    if (state.problem) {
      const problem = el('div', 'overview-problem');
      problem.setAttribute('role', 'alert');
      problem.append(codicon('error'), el('span', '', state.problem));
      page.append(problem);
    } else if (!state.tables) page.append(el('p', 'overview-facts', 'Reading the tables…'));
    else if (state.tables.length === 0) page.append(el('p', 'overview-facts', 'This database has no tables or views yet.'));
    else {
      const list = el('div', 'overview-tables');
      list.setAttribute('role', 'list');
      list.append(...state.tables.map((table) => this.card(table)));
      page.append(list);
    }
    this.root.replaceChildren(page);
    if (document.scrollingElement) document.scrollingElement.scrollTop = scroll;
    if (state.tables) this.restoredScroll = undefined;
  }

  private card(table: OverviewTable): HTMLElement {
    const card = el('section', 'overview-table');
    card.setAttribute('role', 'listitem');
    card.dataset.table = table.name;
    const head = el('div', 'table-head');
    const open = el('a', 'table-name');
    open.href = '#';
    open.title = `Open ${table.name} in a tab`;
    open.append(codicon(table.kind === 'view' ? 'eye' : 'table'), el('span', '', table.schema ? `${table.schema}.${table.name}` : table.name));
    open.addEventListener('click', (e) => {
      e.preventDefault();
      void this.open(table);
    });
    head.append(open);
    if (table.kind === 'view') head.append(el('span', 'table-kind', 'view'));
    const rows = el('span', 'table-rows', rowsText(table.rows, table.countProblem));
    if (table.countProblem) rows.title = table.countProblem;
    head.append(rows);
    card.append(head);
    if (table.schemaProblem) card.append(el('p', 'table-problem', table.schemaProblem));
    if (table.columns) {
      const columns = el('ul', 'table-columns');
      for (const column of table.columns) {
        const item = el('li', 'column');
        if (column.primaryKey !== undefined) item.append(codicon('key', 'marker pk'));
        if (column.references) item.append(codicon('references', 'marker fk'));
        item.append(el('span', 'column-name', column.name), el('span', 'column-type', `${column.type}${column.nullable ? '' : ' NOT NULL'}`));
        if (column.references) item.append(el('span', 'column-ref', `→ ${column.references}`));
        columns.append(item);
      }
      card.append(columns);
    }
    return card;
  }

  private async open(table: OverviewTable): Promise<void> {
    try {
      await this.client.request('openTable', { name: table.name, ...(table.schema !== undefined ? { schema: table.schema } : {}) });
    } catch (error) {
      this.show({ kind: 'error', text: `Could not open ${table.name}: ${messageOf(error)}` });
    }
  }

  private async keep(): Promise<void> {
    try {
      this.show({ kind: 'ok', text: (await this.client.request('keep', {})).message });
    } catch (error) {
      this.show({ kind: 'error', text: messageOf(error) });
    }
  }

  private show(note: { kind: 'ok' | 'error'; text: string }): void {
    this.note = note;
    if (this.state) this.render();
  }
}
