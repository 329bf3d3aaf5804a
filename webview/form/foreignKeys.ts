import type { CellValue, ColumnKind, ForeignKey, RowKey, RowValues, TableRef, TableSchema } from '../../api';
import { keyFilters, referencedKey, referenceText, referencingFilters, sameTable } from '../../shared/formNavigation';
import { showDialog } from '../shared/dialogs';
import { codicon, debounce, el } from '../shared/dom';
import { valueText } from '../shared/model/cellFormat';
import type { FieldView } from './fieldView';
import type { FormClient, RelatedTableClient } from './formClient';

// Foreign keys in both directions. A FK field shows the referenced record's display value (its first text-like
// non-key column), a picker that searches the referenced table, and a link that opens the referenced record in a
// form. Under the form, the tables whose foreign keys point at this table say how many of their rows reference
// this record, with a link to those rows in a grid. All of it reads through the view client's related tables
// (API 1.2); without them the form still works, with the raw key values only.

const FORM_VIEW_ID = 'nocoflo.form';
const TABLE_VIEW_ID = 'nocoflo.table';
const TEXT_KINDS: ReadonlySet<ColumnKind> = new Set(['text', 'enum', 'set', 'other', 'uuid']);
const PICKER_ROWS = 25;
const MAX_REFERENCING_TABLES = 200;
const SCHEMA_READS_AT_ONCE = 4;

export interface ForeignKeyHost {
  choose(column: string, value: CellValue): void;
  log(message: string): void;
}

const tableId = (t: TableRef): string => JSON.stringify([t.schema ?? null, t.name]);

export class ForeignKeys {
  private readonly schemas = new Map<string, Promise<TableSchema>>();
  private readonly displays = new Map<string, Promise<string | null>>();
  private referencing: Promise<{ table: TableRef; fk: ForeignKey }[]> | undefined;
  private reverseGeneration = 0;

  constructor(
    private readonly client: FormClient,
    private readonly schema: TableSchema,
    private readonly host: ForeignKeyHost,
  ) {}

  private related(table: TableRef): RelatedTableClient | undefined {
    return this.client.related?.(table);
  }

  private schemaOf(table: TableRef): Promise<TableSchema> | undefined {
    const related = this.related(table);
    if (!related) return undefined;
    const id = tableId(table);
    let schema = this.schemas.get(id);
    if (!schema) {
      schema = related.schema();
      this.schemas.set(id, schema);
      schema.catch(() => this.schemas.delete(id));
    }
    return schema;
  }

  /** The first text-like column that is not part of the key: what a person recognises a row by. */
  private static displayColumn(schema: TableSchema): string | undefined {
    return schema.columns.find((c) => TEXT_KINDS.has(c.kind) && c.primaryKeyPosition === undefined)?.name;
  }

  private displayOf(table: TableRef, key: RowKey): Promise<string | null> | undefined {
    const related = this.related(table);
    const schema = this.schemaOf(table);
    if (!related || !schema) return undefined;
    const id = JSON.stringify([tableId(table), Object.entries(key).map(([k, v]) => [k, String(v)])]);
    let display = this.displays.get(id);
    if (!display) {
      display = schema.then(async (s) => {
        const page = await related.readRows({ filters: keyFilters(key), limit: 1 });
        if (page.rows.length === 0) return null;
        const column = ForeignKeys.displayColumn(s);
        const index = column === undefined ? -1 : page.columns.indexOf(column);
        const value = index < 0 ? undefined : page.rows[0][index];
        return value === undefined || value === null ? '' : String(value);
      });
      this.displays.set(id, display);
      display.catch(() => this.displays.delete(id));
    }
    return display;
  }

  /** Fills the reference line under a FK field: display value, picker, link. */
  showReference(field: FieldView, fk: ForeignKey, values: Readonly<Record<string, CellValue | undefined>>, editable: boolean): void {
    const line = field.reference;
    line.hidden = false;
    const target = fk.references;
    const label = el('span', 'reference-display');
    const key = referencedKey(fk, values);
    line.replaceChildren(codicon('arrow-right'), label);
    if (!key) label.textContent = fk.columns.some((c) => values[c] === undefined) ? `${target.name}: not set yet` : `${target.name}: no record (NULL)`;
    else {
      label.textContent = `${target.name} · …`;
      const display = this.displayOf(target, key);
      if (!display) label.textContent = `${target.name}(${fk.referencedColumns.join(', ')})`;
      else
        display.then(
          (text) => {
            if (text === null) {
              label.textContent = `No record in ${target.name} has ${Object.entries(key).map(([c, v]) => `${c} = ${String(v)}`).join(', ')}.`;
              line.classList.add('missing');
            } else label.textContent = text === '' ? `${target.name} record` : `${target.name} · ${text}`;
          },
          (error: unknown) => {
            label.textContent = `${target.name}: could not read (${error instanceof Error ? error.message : String(error)})`;
          },
        );
    }
    if (editable && fk.columns.length === 1 && this.client.related) {
      line.append(linkButton('Choose…', 'search', `Search ${target.name} for the record to reference`, () => this.pick(fk)));
    }
    if (key && this.client.openView) {
      line.append(linkButton(`Open ${target.name} record`, 'go-to-file', `Open this ${target.name} record in a form`, () => this.client.openView!({ table: target, key, viewId: FORM_VIEW_ID })));
    }
  }

  /** A dialog that searches the referenced table and sets the FK field to the chosen row. */
  private pick(fk: ForeignKey): void {
    const related = this.related(fk.references);
    const schema = this.schemaOf(fk.references);
    if (!related || !schema) return;
    const referenced = fk.referencedColumns[0] ?? fk.columns[0];
    const body = el('div', 'picker');
    const search = document.createElement('vscode-textfield') as unknown as HTMLElement & { value: string };
    search.classList.add('picker-search');
    search.setAttribute('placeholder', `Search ${fk.references.name}`);
    search.setAttribute('aria-label', `Search ${fk.references.name}`);
    const list = el('div', 'picker-list');
    list.setAttribute('role', 'listbox');
    const status = el('div', 'dialog-note', 'Loading…');
    body.append(search, status, list);
    let generation = 0;
    const dialog = showDialog(`Choose a ${fk.references.name} record for ${fk.columns[0]}`, body, [{ label: 'Cancel' }]);
    const run = async (text: string) => {
      const mine = ++generation;
      status.textContent = 'Searching…';
      try {
        const s = await schema;
        const display = ForeignKeys.displayColumn(s);
        const page = await related.readRows({ limit: PICKER_ROWS, ...(text.trim() ? { search: { text: text.trim() } } : {}) });
        if (mine !== generation) return;
        const keyIndex = page.columns.indexOf(referenced);
        const displayIndex = display === undefined ? -1 : page.columns.indexOf(display);
        list.replaceChildren(
          ...page.rows.map((row) => {
            const value = row[keyIndex] ?? null;
            const column = s.columns.find((c) => c.name === referenced);
            const item = el('button', 'picker-item');
            item.type = 'button';
            item.setAttribute('role', 'option');
            item.append(el('span', 'picker-key', value === null ? 'NULL' : column ? valueText(value, column) : String(value)), el('span', 'picker-label', displayIndex < 0 ? '' : String(row[displayIndex] ?? '')));
            item.addEventListener('click', () => {
              dialog.close();
              this.host.choose(fk.columns[0], value);
            });
            return item;
          }),
        );
        status.textContent = page.rows.length === 0 ? 'No records match.' : page.next !== undefined ? `The first ${page.rows.length} matches; type to narrow them down.` : `${page.rows.length} record${page.rows.length === 1 ? '' : 's'}.`;
      } catch (error) {
        if (mine === generation) status.textContent = `Search failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    };
    const later = debounce(250, (text: string) => void run(text));
    search.addEventListener('input', () => later(search.value));
    search.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') later.flush();
    });
    void run('');
    requestAnimationFrame(() => search.focus());
  }

  /** Foreign keys of other tables that point at this table (read once per tab; tables that fail are left out). */
  private referencingKeys(): Promise<{ table: TableRef; fk: ForeignKey }[]> | undefined {
    if (!this.client.listTables || !this.client.related) return undefined;
    if (!this.referencing) {
      this.referencing = this.client.listTables().then(async (tables) => {
        const found: { table: TableRef; fk: ForeignKey }[] = [];
        // A few schema reads at a time: a database with hundreds of tables must not flood the host.
        const queue = tables.slice(0, MAX_REFERENCING_TABLES);
        const worker = async () => {
          for (let table = queue.shift(); table; table = queue.shift()) {
            try {
              const schema = await this.schemaOf(table);
              for (const fk of schema?.foreignKeys ?? []) if (sameTable(fk.references, this.schema.table)) found.push({ table: schema?.table ?? table, fk });
            } catch (error) {
              this.host.log(`reverse references: could not read the schema of ${table.name}: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
        };
        await Promise.all(Array.from({ length: SCHEMA_READS_AT_ONCE }, worker));
        return found.sort((a, b) => a.table.name.localeCompare(b.table.name));
      });
      this.referencing.catch(() => (this.referencing = undefined));
    }
    return this.referencing;
  }

  /** "3 rows in orders reference this customer", one line per referencing foreign key, with links. */
  showReverse(host: HTMLElement, values: RowValues): void {
    const generation = ++this.reverseGeneration;
    const keys = this.referencingKeys();
    if (!keys) return;
    void keys.then(
      async (list) => {
        if (generation !== this.reverseGeneration || list.length === 0) return;
        const section = el('section', 'references');
        section.append(el('h3', 'references-title', 'Referenced by'));
        const items = el('ul', 'references-list');
        section.append(items);
        host.replaceChildren(section);
        for (const { table, fk } of list) {
          const filters = referencingFilters(fk, values);
          if (!filters) continue;
          const item = el('li', 'reference-item', `${table.name} (${fk.columns.join(', ')}) · counting…`);
          items.append(item);
          const related = this.related(table);
          if (!related) continue;
          related.countRows({ filters, cap: 10_000 }).then(
            (count) => {
              if (generation !== this.reverseGeneration) return;
              item.replaceChildren(el('span', 'reference-text', `${referenceText(count, table.name, this.schema.table.name)}${list.filter((k) => sameTable(k.table, table)).length > 1 ? ` (through ${fk.columns.join(', ')})` : ''}`));
              if (count.count > 0 && this.client.openView) item.append(linkButton('Show them', 'table', `Open ${table.name} filtered to these rows`, () => this.client.openView!({ table, viewId: TABLE_VIEW_ID, query: { filters } })));
            },
            (error: unknown) => {
              item.textContent = `${table.name}: could not count (${error instanceof Error ? error.message : String(error)})`;
            },
          );
        }
      },
      () => undefined,
    );
  }
}

function linkButton(label: string, icon: string, title: string, run: () => void): HTMLElement {
  const b = el('button', 'link-button');
  b.type = 'button';
  b.title = title;
  b.append(codicon(icon), el('span', undefined, label));
  b.addEventListener('click', run);
  return b;
}
