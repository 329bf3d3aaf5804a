// The board's webview script. Nocoflo loads its view client first (globalThis.nocoflo); this script connects,
// reads rows through it and renders cards into #nocoflo-root. The page's CSP forbids inline styles and scripts:
// all styling is in board.css, and the one dynamic style (each column's hue) is set through CSSOM.
// A card's "Move to" select saves a new group value through the client (applyChanges, with `expected`).
import type { CellValue, ColumnSchema, RowKey, RowPage } from '@nocoflo/api';
import type { NocofloViewClient, NocofloWebview } from '@nocoflo/api/webview';

/** The board reads at most this many rows (a few pages); a note says so when the table has more. */
const MAX_ROWS = 2_000;
const PAGE = 500;
/** More distinct values than this and the rest are left out, with a note. */
const MAX_GROUPS = 50;
const NULL_LABEL = '(empty)';

interface BoardState {
  groupBy?: string;
}

interface Card {
  key: RowKey | null;
  values: Record<string, CellValue>;
}

const client: NocofloViewClient = await (globalThis as unknown as { nocoflo: NocofloWebview }).nocoflo.connect();
const root = document.getElementById('nocoflo-root')!;
const { schema } = client.init;
const groupable = schema.columns.filter((c) => c.kind === 'text' || c.kind === 'enum');
const canMove = client.init.capabilities.update && !client.init.readOnlyReason && schema.rowKey !== undefined;

const toolbar = el('div', 'board-toolbar');
const label = el('label', 'board-group-label', 'Group by ');
const select = el('select', 'board-group-by');
select.setAttribute('aria-label', 'Group by');
for (const column of groupable) select.append(option(column.name));
label.append(select);
const status = el('span', 'board-status', 'Loading…');
const note = el('p', 'board-note');
const board = el('div', 'board');
toolbar.append(label, status);
root.replaceChildren(toolbar, note, board);

let cards: Card[] = [];
let total = 0;
/** The column grouped by, once chosen (the first load picks one). */
let chosen: string | undefined;

select.addEventListener('change', () => {
  chosen = select.value;
  client.setState<BoardState>({ groupBy: chosen });
  client.setViewConfig?.({ groupBy: chosen });
  render();
});
client.onRefresh(() => void load());
await load();

async function load(): Promise<void> {
  status.textContent = 'Loading…';
  try {
    const query = client.init.query ?? {};
    const read: RowPage[] = [];
    let count = 0;
    let after: string | undefined;
    do {
      const page = await client.readRows({ ...query, limit: Math.min(PAGE, MAX_ROWS - count), ...(after ? { after } : {}) });
      read.push(page);
      count += page.rows.length;
      after = page.next;
    } while (after && count < MAX_ROWS);
    cards = read.flatMap((page) =>
      page.rows.map((row, i) => ({ key: page.keys[i] ?? null, values: Object.fromEntries(page.columns.map((c, j) => [c, row[j]!])) })),
    );
    total = after ? (await client.countRows({ ...(query.filters ? { filters: query.filters } : {}), ...(query.search ? { search: query.search } : {}) })).count : cards.length;
    chosen ??= initialGroupBy();
    select.value = chosen;
    render();
  } catch (error) {
    status.textContent = `Could not read the rows: ${(error as Error).message}`;
  }
}

/** Saved state, then the stored view config, then the text column with the fewest distinct values. */
function initialGroupBy(): string {
  const names = groupable.map((c) => c.name);
  const saved = client.getState<BoardState>()?.groupBy ?? (client.init.viewConfig as BoardState | undefined)?.groupBy;
  if (saved && names.includes(saved)) return saved;
  const distinct = (name: string) => new Set(cards.map((c) => c.values[name])).size;
  return [...names].sort((a, b) => distinct(a) - distinct(b))[0]!;
}

function render(): void {
  const groupBy = select.value;
  const column = groupable.find((c) => c.name === groupBy)!;
  const title = titleColumn(groupBy);
  const groups = new Map<string, Card[]>();
  for (const value of column.enumValues ?? []) groups.set(value, []);
  for (const card of cards) {
    const value = card.values[groupBy];
    const name = value === null || value === undefined ? NULL_LABEL : String(value);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push(card);
  }
  const names = [...groups.keys()];
  if (!column.enumValues) names.sort((a, b) => (a === NULL_LABEL ? 1 : b === NULL_LABEL ? -1 : a.localeCompare(b)));
  const shown = names.slice(0, MAX_GROUPS);
  const targets = shown.filter((name) => name !== NULL_LABEL);
  board.replaceChildren(...shown.map((name, i) => renderColumn(name, groups.get(name)!, title, i, shown.length, targets)));
  status.textContent = `${cards.length} cards in ${shown.length} columns by ${groupBy}`;
  const notes: string[] = [];
  if (total > cards.length) notes.push(`Showing the first ${cards.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows.`);
  if (names.length > shown.length) notes.push(`${names.length - shown.length} more values of ${groupBy} are not shown (at most ${MAX_GROUPS} columns).`);
  note.textContent = notes.join(' ');
  note.hidden = notes.length === 0;
}

/** The first text column that is not the grouping one; else the key; else the first column. */
function titleColumn(groupBy: string): ColumnSchema {
  return (
    schema.columns.find((c) => c.kind === 'text' && c.name !== groupBy) ??
    schema.columns.find((c) => c.name === schema.rowKey?.columns[0]) ??
    schema.columns[0]!
  );
}

function renderColumn(name: string, members: Card[], title: ColumnSchema, index: number, count: number, targets: string[]): HTMLElement {
  const column = el('section', 'board-column');
  column.dataset.value = name;
  // CSSOM is allowed by the CSP; a style attribute in markup would not be.
  column.style.setProperty('--board-hue', String(Math.round((index * 360) / Math.max(count, 1))));
  const header = el('header', 'board-column-header');
  header.append(el('span', 'board-column-name', name), el('span', 'board-column-count', String(members.length)));
  const list = el('div', 'board-cards');
  list.append(...members.map((card) => renderCard(card, title, name, targets)));
  column.append(header, list);
  return column;
}

function renderCard(card: Card, title: ColumnSchema, group: string, targets: string[]): HTMLElement {
  const item = el('article', 'board-card');
  const heading = card.values[title.name];
  item.append(el('h3', 'board-card-title', heading === null || heading === undefined ? NULL_LABEL : String(heading)));
  const details = el('dl', 'board-card-details');
  for (const column of schema.columns.filter((c) => c.name !== title.name && c.name !== select.value).slice(0, 4)) {
    const value = card.values[column.name];
    details.append(el('dt', '', column.name), el('dd', '', value === null || value === undefined ? '—' : String(value)));
  }
  item.append(details);
  if (canMove && card.key && targets.length > 1) {
    // A select rather than drag and drop: it works from the keyboard and with screen readers.
    const move = el('select', 'board-card-move');
    move.setAttribute('aria-label', `Move to another ${select.value}`);
    if (group === NULL_LABEL) move.append(option(NULL_LABEL));
    move.append(...targets.map(option));
    move.value = group;
    move.addEventListener('change', () => void moveCard(card, move.value));
    item.append(move);
  }
  return item;
}

/** Saves the card's new group value; the datasource refuses it with a conflict if the row changed meanwhile. */
async function moveCard(card: Card, to: string): Promise<void> {
  const groupBy = select.value;
  const from = card.values[groupBy] ?? null;
  if (!card.key || from === to) return;
  status.textContent = 'Saving…';
  const result = await client.applyChanges([{ kind: 'update', key: card.key, changes: { [groupBy]: to }, expected: { [groupBy]: from } }]);
  if (!result.ok) {
    status.textContent = `Not moved: ${result.failure.message}`;
    return;
  }
  await load();
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function option(value: string): HTMLOptionElement {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = value;
  return element;
}
