// Over 400 lines (560) because SELECT, keyset cursors, tie-breaking, query references and the write statements share
// one set of quoting and ordering rules; splitting the write statements into their own module is the next step.
import type {
  AggregateRequest,
  CellValue,
  ColumnSchema,
  CountRequest,
  Filter,
  ReadRowsRequest,
  RowChange,
  RowValues,
  SortKey,
  TableRef,
  TableSchema,
} from '../../../api';
import { datasourceError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { escapeLike, type Dialect } from './dialect';
import { renamedApart } from './queryColumns';
import { ordersItself, trimStatementEnd } from './sqlText';

export { uniqueColumnNames } from './queryColumns';

// Builds every statement a SQL datasource needs from structured requests. Values are always bound parameters and
// identifiers always quoted by the dialect: no caller-supplied text is ever pasted into SQL.

export interface Statement {
  sql: string;
  params: CellValue[];
}

/** Collects bound values and hands out the dialect's placeholder for each. */
export class Params {
  readonly values: CellValue[];
  /** `initial`: values already bound by text that comes first (a query reference's own parameters). */
  constructor(
    private readonly dialect: Dialect,
    initial: readonly CellValue[] = [],
  ) {
    this.values = [...initial];
  }
  add(value: CellValue): string {
    // Refused here, while the statement is built: the engine's own error ("too many SQL variables", or a driver
    // failing to encode the count) would come after a round trip and name no limit.
    if (this.values.length >= this.dialect.maxParameters) {
      throw datasourceError('invalid_value', `This request needs more than ${this.dialect.maxParameters.toLocaleString('en-US')} values in one statement, ${this.dialect.engine}'s limit; use fewer or shorter "in" lists.`);
    }
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

/** Name of the hidden last column of a sampled aggregate that counts its rows; measures are `m_…`, groups `g…`. */
export const SAMPLED_ROWS_ALIAS = 's_rows';

/** How a sampled aggregate narrows its rows; each part binds its values through `params`. */
export interface AggregateSampling {
  /** The FROM item instead of the quoted table (PostgreSQL: the table with TABLESAMPLE). */
  from?(table: string, params: Params): string;
  /** A condition selecting the sampled rows (key ranges). */
  where?(params: Params): string;
}

/** The key columns used for paging and addressing rows; `expr` is already quoted (or a rowid alias). */
export interface KeyColumn {
  name: string;
  expr: string;
}

export interface SqlBuilderOptions {
  /**
   * The expression a column is compared and sorted by in filters, orderings, keyset seeks and expected-value
   * checks, given its quoted name. Default: the quoted name. PostgreSQL compares types that have no equality or
   * ordering operators (json, xml, geometric types) as text this way.
   */
  comparable?(column: ColumnSchema, quoted: string): string;
  /**
   * For a column whose declared order is not how it compares with bound values (MySQL's ENUM sorts by the position
   * of its label, but `rating > 'PG'` compares text): the expression it is sorted and range-compared by, and how a
   * value of the column maps onto that expression. Sorts, keyset seeks and lt/lte/gt/gte filters then agree with
   * the database's own ORDER BY; equality filters still use `comparable`.
   */
  position?(column: ColumnSchema, quoted: string): { expr: string; of(value: CellValue): CellValue } | undefined;
  /**
   * The expression a column breaks ties by when a relation has no row key: distinct values must give distinct,
   * deterministically ordered results, whatever the column's collation (see `ordering`). Default: `comparable`.
   */
  tieBreaker?(column: ColumnSchema, quoted: string): string;
}

export const MAX_IN_VALUES = 1_000;

/**
 * The name a query reference's statement has inside the statements built over it: `WITH "nocoflo_query" AS (…)`.
 * A common table expression rather than a derived table so the statement's own placeholders come first in the
 * text, before any the select list binds (positional `?` are numbered by where they appear).
 */
export const QUERY_ALIAS = 'nocoflo_query';

const TEXT_KINDS = new Set(['text', 'json', 'uuid', 'enum', 'set', 'date', 'time', 'datetime', 'datetimetz', 'other']);

export class SqlBuilder {
  constructor(
    readonly dialect: Dialect,
    private readonly options: SqlBuilderOptions = {},
  ) {}

  table(ref: TableRef): string {
    const q = this.dialect.quoteIdentifier;
    if (ref.query) return q(QUERY_ALIAS);
    return ref.schema ? `${q(ref.schema)}.${q(ref.name)}` : q(ref.name);
  }

  /**
   * What goes before a statement over `ref`: for a query reference, the WITH clause naming its statement (on a line
   * of its own, so a trailing line comment in it cannot swallow the closing parenthesis).
   */
  /**
   * `columns`: names for the result's columns (`WITH "nocoflo_query"("id", "id (2)") AS …`), for results whose own
   * names repeat (`SELECT a.id, b.id`): the wrapper could not tell those apart. Leading whitespace of the text stays,
   * so that `queryOffset` maps offsets exactly.
   */
  prefix(ref: TableRef, columns?: readonly string[]): string {
    if (!ref.query) return '';
    return `${this.queryOpening(columns)}${trimStatementEnd(ref.query.text, this.dialect.name)}\n) `;
  }

  /** Where a query reference's text starts inside a statement built over it, to map the engine's error offsets back. */
  queryOffset(columns?: readonly string[]): number {
    return this.queryOpening(columns).length;
  }

  private queryOpening(columns?: readonly string[]): string {
    const q = this.dialect.quoteIdentifier;
    const list = columns && columns.length > 0 ? `(${columns.map(q).join(', ')})` : '';
    return `WITH ${q(QUERY_ALIAS)}${list} AS (\n`;
  }

  /** The prefix of a statement over a schema: a query result whose columns were renamed apart names them all. */
  private schemaPrefix(schema: TableSchema): string {
    return this.prefix(schema.table, renamedApart(schema.columns.map((c) => c.name)) ? schema.columns.map((c) => c.name) : undefined);
  }

  /** A statement that returns no rows but the result's columns, for a datasource to describe a query reference. */
  describeQuery(ref: TableRef): Statement {
    if (!ref.query) throw datasourceError('invalid_value', 'Only a query reference can be described.');
    const params = new Params(this.dialect, ref.query.params);
    return { sql: `${this.prefix(ref)}SELECT * FROM ${this.table(ref)} LIMIT 0`, params: params.values };
  }

  /** Parameters of a statement over `ref`, starting with a query reference's own. */
  private params(ref: TableRef): Params {
    return new Params(this.dialect, ref.query?.params);
  }

  keyColumns(schema: TableSchema): KeyColumn[] {
    return (schema.rowKey?.columns ?? []).map((name) => {
      const quoted = this.dialect.quoteIdentifier(name);
      const column = this.options.comparable && schema.columns.find((c) => c.name === name);
      return { name, expr: column ? this.options.comparable!(column, quoted) : quoted };
    });
  }

  column(schema: TableSchema, name: string): ColumnSchema | KeyColumn {
    const column = schema.columns.find((c) => c.name === name) ?? this.keyColumns(schema).find((k) => k.name === name);
    if (!column) throw datasourceError('invalid_value', `Column "${name}" does not exist in ${schema.table.name}.`);
    return column;
  }

  /** WHERE clause (without the keyword) for filters and quick search; `1=1` when there are none. */
  where(schema: TableSchema, params: Params, filters: Filter[] = [], search?: { text: string; columns?: string[] }): string {
    const parts = filters.map((f) => this.filter(schema, params, f));
    if (search && search.text !== '') {
      const columns = search.columns ?? schema.columns.filter((c) => TEXT_KINDS.has(c.kind)).map((c) => c.name);
      if (columns.length === 0) parts.push('1=0');
      else {
        const pattern = `%${escapeLike(search.text)}%`;
        parts.push(`(${columns.map((name) => this.dialect.likeInsensitive(this.quoted(schema, name), params.add(pattern))).join(' OR ')})`);
      }
    }
    return parts.length > 0 ? parts.join(' AND ') : '1=1';
  }

  private quoted(schema: TableSchema, name: string): string {
    this.column(schema, name);
    return this.dialect.quoteIdentifier(name);
  }

  /** The column as it is compared with bound values (see SqlBuilderOptions.comparable). */
  private comparable(schema: TableSchema, name: string): string {
    const column = this.column(schema, name);
    const quoted = this.dialect.quoteIdentifier(name);
    return this.options.comparable && 'kind' in column ? this.options.comparable(column, quoted) : quoted;
  }

  /** The column's `position` (see SqlBuilderOptions), if it has one. */
  private position(schema: TableSchema, name: string): { expr: string; of(value: CellValue): CellValue } | undefined {
    const column = this.column(schema, name);
    return this.options.position && 'kind' in column ? this.options.position(column, this.dialect.quoteIdentifier(name)) : undefined;
  }

  private filter(schema: TableSchema, params: Params, filter: Filter): string {
    if (['lt', 'lte', 'gt', 'gte'].includes(filter.op)) {
      const position = this.position(schema, filter.column);
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[filter.op as 'lt'];
      if (position) return `${position.expr} ${op} ${params.add(position.of(this.nonNull(filter, this.single(filter))))}`;
      return `${this.comparable(schema, filter.column)} ${op} ${params.add(this.nonNull(filter, this.single(filter)))}`;
    }
    const expr = ['contains', 'startswith', 'endswith'].includes(filter.op) ? this.quoted(schema, filter.column) : this.comparable(schema, filter.column);
    const value = filter.value;
    const scalar = (): CellValue => this.single(filter);
    const text = (): string => {
      const v = scalar();
      if (v === null || v instanceof Uint8Array) throw datasourceError('invalid_value', `Filter "${filter.op}" on "${filter.column}" needs text.`);
      return String(v);
    };
    switch (filter.op) {
      case 'eq': {
        const v = scalar();
        return v === null ? `${expr} IS NULL` : `${expr} = ${params.add(v)}`;
      }
      case 'ne': {
        // "Not equal to X" keeps the rows where the column is NULL, as people reading the filter expect.
        const v = scalar();
        return v === null ? `${expr} IS NOT NULL` : `NOT (${this.dialect.nullSafeEquals(expr, params.add(v))})`;
      }
      case 'contains':
        return this.dialect.likeInsensitive(expr, params.add(`%${escapeLike(text())}%`));
      case 'startswith':
        return this.dialect.likeInsensitive(expr, params.add(`${escapeLike(text())}%`));
      case 'endswith':
        return this.dialect.likeInsensitive(expr, params.add(`%${escapeLike(text())}`));
      case 'isnull':
        return `${expr} IS NULL`;
      case 'notnull':
        return `${expr} IS NOT NULL`;
      case 'in': {
        if (!Array.isArray(value)) throw datasourceError('invalid_value', `Filter "in" on "${filter.column}" needs a list of values.`);
        if (value.length > MAX_IN_VALUES) throw datasourceError('invalid_value', `Filter "in" takes at most ${MAX_IN_VALUES} values.`);
        const present = value.filter((v) => v !== null);
        const parts: string[] = [];
        if (present.length > 0) parts.push(`${expr} IN (${present.map((v) => params.add(v)).join(', ')})`);
        if (present.length !== value.length) parts.push(`${expr} IS NULL`);
        return parts.length === 0 ? '1=0' : `(${parts.join(' OR ')})`;
      }
      default:
        throw datasourceError('invalid_value', `Unknown filter operator "${String((filter as Filter).op)}".`);
    }
  }

  private single(filter: Filter): CellValue {
    const value = filter.value;
    if (Array.isArray(value)) throw datasourceError('invalid_value', `Filter "${filter.op}" on "${filter.column}" takes one value, not a list.`);
    if (value === undefined) throw datasourceError('invalid_value', `Filter "${filter.op}" on "${filter.column}" needs a value.`);
    return value;
  }

  private nonNull(filter: Filter, value: CellValue): CellValue {
    if (value === null) throw datasourceError('invalid_value', `Filter "${filter.op}" on "${filter.column}" cannot compare with NULL; use "is null".`);
    return value;
  }

  /**
   * The full ordering: the requested sort, then a tiebreaker so the order is total and no two pages overlap or leave
   * a gap. With a row key the key is the tiebreaker (keyset paging). Without one (views, tables with no unique key
   * over NOT NULL columns) every column is: then only rows equal in every column can tie, and those are
   * interchangeable, so OFFSET pages of the same ordering fit together (see "Reading and paging" in
   * docs/architecture.md).
   */
  ordering(schema: TableSchema, sort: SortKey[] = []): { expr: string; name: string; direction: 'asc' | 'desc'; nullable: boolean }[] {
    const keys = this.keyColumns(schema);
    // Until a view sorts, a query reference keeps its statement's order: its own ORDER BY, or else the order of its
    // base table's key when it has one, or else the engine's scan order (sorting every column of a large result
    // would make its first page wait for a full sort). Pages without an ordering are read by offset.
    if (sort.length === 0 && schema.table.query && (this.keepsStatementOrder(schema) || keys.length === 0)) return [];
    const result = sort.map((s) => {
      const column = this.column(schema, s.column);
      if (s.direction !== 'asc' && s.direction !== 'desc') throw datasourceError('invalid_value', `Sort direction must be "asc" or "desc".`);
      const expr = this.position(schema, s.column)?.expr ?? this.comparable(schema, s.column);
      return { expr, name: s.column, direction: s.direction, nullable: 'nullable' in column ? column.nullable : false };
    });
    for (const key of keys) {
      if (!result.some((r) => r.name === key.name)) result.push({ expr: key.expr, name: key.name, direction: 'asc', nullable: false });
    }
    if (keys.length === 0) {
      for (const column of schema.columns) {
        const quoted = this.dialect.quoteIdentifier(column.name);
        const expr = this.options.tieBreaker ? this.options.tieBreaker(column, quoted) : this.comparable(schema, column.name);
        if (!result.some((r) => r.expr === expr)) result.push({ expr, name: column.name, direction: 'asc', nullable: column.nullable });
      }
    }
    return result;
  }

  /** Whether pages of `schema` (a query reference) follow its statement's own ORDER BY rather than a key. */
  private keepsStatementOrder(schema: TableSchema): boolean {
    const query = schema.table.query;
    return query !== undefined && ordersItself(query.text, this.dialect.name);
  }

  /**
   * A SELECT for one page. Each row's key and ordering values are read from its own columns where they are plain
   * columns; others (a synthetic rowid, a column compared through a cast) come as extra columns `__k<i>` / `__o<i>`.
   * `keyIndexes` and `orderingIndexes` say where in a result row each one is.
   */
  selectPage(
    schema: TableSchema,
    request: ReadRowsRequest,
  ): Statement & { ordering: string; orderingSize: number; keyCount: number; keyIndexes: number[]; orderingIndexes: number[]; offset?: number } {
    const params = this.params(schema.table);
    const q = this.dialect.quoteIdentifier;
    const ordering = this.ordering(schema, request.sort);
    const keys = this.keyColumns(schema);
    const signature = JSON.stringify(ordering.map((o) => [o.name, o.direction]));
    const columns = schema.columns.map((c) => q(c.name));
    // Selecting a plain column again (the primary key as key and as ordering, say) would only send it twice.
    const indexOf = (name: string, expr: string, alias: string): number => {
      const own = expr === q(name) ? schema.columns.findIndex((c) => c.name === name) : -1;
      if (own >= 0) return own;
      columns.push(`${expr} AS ${q(alias)}`);
      return columns.length - 1;
    };
    const keyIndexes = keys.map((k, i) => indexOf(k.name, k.expr, `__k${i}`));
    // A query reference in its statement's own order has no ordering to seek by: it pages by offset.
    const keyed = keys.length > 0 && ordering.length > 0;
    // Only a keyset cursor carries ordering values; an offset cursor needs none, so tiebreakers are not selected.
    const orderingIndexes = keyed ? ordering.map((o, i) => indexOf(o.name, o.expr, `__o${i}`)) : [];
    const conditions = [this.where(schema, params, request.filters, request.search)];
    // Tables without a key page by offset; their `next` cursor just wraps the offset.
    let offset = request.offset;
    if (request.after !== undefined) {
      if (keyed) conditions.push(this.after(ordering, decodeCursor(request.after, signature, ordering.length), params));
      else offset = this.offsetFromCursor(request.after);
    }
    // NULLS FIRST/LAST only where a column can hold NULL: on a NOT NULL column it changes nothing but stops
    // PostgreSQL from reading a default (ASC NULLS LAST) index in order, so every page would sort the whole table.
    const orderBy = ordering.map((o) => `${o.expr} ${o.direction.toUpperCase()}${this.dialect.explicitNullOrdering && o.nullable ? (o.direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : ''}`);
    const limit = this.limit(request.limit);
    let sql = `${this.schemaPrefix(schema)}SELECT ${columns.join(', ')} FROM ${this.table(schema.table)} WHERE ${conditions.join(' AND ')}`;
    if (orderBy.length > 0) sql += ` ORDER BY ${orderBy.join(', ')}`;
    sql += ` LIMIT ${params.add(limit + 1)}`;
    const useOffset = offset !== undefined && (request.after === undefined || !keyed);
    if (useOffset) {
      if (!Number.isSafeInteger(offset) || offset! < 0) throw datasourceError('invalid_value', 'Offset must be a non-negative integer.');
      sql += ` OFFSET ${params.add(offset!)}`;
    }
    return { sql, params: params.values, ordering: signature, orderingSize: ordering.length, keyCount: keyed ? keys.length : 0, keyIndexes, orderingIndexes, ...(useOffset ? { offset } : {}) };
  }

  /** Rows strictly after `values` in the ordering, with NULLs first ascending and last descending. */
  private after(ordering: ReturnType<SqlBuilder['ordering']>, values: CellValue[], params: Params): string {
    const sameDirection = ordering.every((o) => o.direction === ordering[0].direction);
    const noNulls = ordering.every((o, i) => !o.nullable && values[i] !== null);
    if (ordering.length > 1 && sameDirection && noNulls) {
      // Row values let the database use a composite index for the seek.
      const op = ordering[0].direction === 'asc' ? '>' : '<';
      return `(${ordering.map((o) => o.expr).join(', ')}) ${op} (${values.map((v) => params.add(v)).join(', ')})`;
    }
    const branches: string[] = [];
    for (let i = 0; i < ordering.length; i++) {
      const { expr, direction } = ordering[i];
      const v = values[i];
      // Nothing sorts after NULL descending; decide before binding the equalities, or their values would be bound
      // without placeholders in the statement.
      if (direction === 'desc' && v === null) continue;
      const parts: string[] = [];
      for (let j = 0; j < i; j++) parts.push(values[j] === null ? `${ordering[j].expr} IS NULL` : `${ordering[j].expr} = ${params.add(values[j])}`);
      if (direction === 'asc') parts.push(v === null ? `${expr} IS NOT NULL` : `${expr} > ${params.add(v)}`);
      else parts.push(`(${expr} < ${params.add(v)} OR ${expr} IS NULL)`);
      branches.push(parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`);
    }
    return branches.length === 0 ? '1=0' : `(${branches.join(' OR ')})`;
  }

  /** Splits raw result rows of `selectPage` into values, keys and the continuation cursor. */
  shapePage(
    schema: TableSchema,
    page: ReturnType<SqlBuilder['selectPage']>,
    raw: CellValue[][],
    limit: number,
  ): { columns: string[]; rows: CellValue[][]; keys: (Record<string, CellValue> | null)[]; next?: string; offset?: number } {
    const width = schema.columns.length;
    const keys = this.keyColumns(schema);
    const keyIndexes = page.keyIndexes;
    const offset = page.offset;
    const more = raw.length > limit;
    const rows = more ? raw.slice(0, limit) : raw;
    const last = rows[rows.length - 1];
    const result: ReturnType<SqlBuilder['shapePage']> = {
      columns: schema.columns.map((c) => c.name),
      rows: rows.map((r) => (r.length === width ? r : r.slice(0, width))),
      // A plain loop: Object.fromEntries with its entry arrays was a measurable part of a 10,000-row page.
      keys: rows.map((r) => {
        if (keys.length === 0) return null;
        const key: Record<string, CellValue> = {};
        for (let i = 0; i < keys.length; i++) key[keys[i].name] = r[keyIndexes[i]];
        return key;
      }),
      ...(offset !== undefined ? { offset } : {}),
    };
    if (more) {
      if (page.keyCount > 0 && last) result.next = encodeCursor(page.ordering, page.orderingIndexes.map((i) => last[i]));
      else result.next = encodeCursor('offset', [(offset ?? 0) + limit]);
    }
    return result;
  }

  /** For keyless tables, `next` is an offset wrapped as a cursor; this unwraps it. */
  offsetFromCursor(cursor: string): number {
    const [offset] = decodeCursor(cursor, 'offset', 1);
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw datasourceError('invalid_value', 'This page cursor cannot be used; reload the table.');
    return offset;
  }

  count(schema: TableSchema, request: CountRequest = {}): Statement {
    const params = this.params(schema.table);
    const where = this.where(schema, params, request.filters, request.search);
    const from = this.table(schema.table);
    const prefix = this.schemaPrefix(schema);
    if (request.cap !== undefined) {
      const cap = this.limit(request.cap, Number.MAX_SAFE_INTEGER - 1);
      return { sql: `${prefix}SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${from} WHERE ${where} LIMIT ${params.add(cap + 1)}) capped`, params: params.values };
    }
    return { sql: `${prefix}SELECT count(*) AS n FROM ${from} WHERE ${where}`, params: params.values };
  }

  insert(schema: TableSchema, values: RowValues): Statement {
    const params = new Params(this.dialect);
    this.writableTable(schema);
    const names = Object.keys(values);
    for (const name of names) this.writable(schema, name);
    if (names.length === 0) return { sql: `INSERT INTO ${this.table(schema.table)} DEFAULT VALUES`, params: [] };
    const q = this.dialect.quoteIdentifier;
    return {
      sql: `INSERT INTO ${this.table(schema.table)} (${names.map(q).join(', ')}) VALUES (${names.map((n) => params.add(values[n])).join(', ')})`,
      params: params.values,
    };
  }

  /** UPDATE of exactly the row with `key`, and only if it still holds the `expected` values. */
  update(schema: TableSchema, key: Record<string, CellValue>, changes: RowValues, expected: RowValues): Statement {
    this.writableTable(schema);
    const params = new Params(this.dialect);
    const names = Object.keys(changes);
    if (names.length === 0) throw datasourceError('invalid_value', 'An update needs at least one changed column.');
    const set = names.map((n) => `${this.dialect.quoteIdentifier(this.writable(schema, n))} = ${params.add(changes[n])}`);
    return { sql: `UPDATE ${this.table(schema.table)} SET ${set.join(', ')} WHERE ${this.rowMatch(schema, params, key, expected)}`, params: params.values };
  }

  delete(schema: TableSchema, key: Record<string, CellValue>, expected: RowValues): Statement {
    this.writableTable(schema);
    const params = new Params(this.dialect);
    return { sql: `DELETE FROM ${this.table(schema.table)} WHERE ${this.rowMatch(schema, params, key, expected)}`, params: params.values };
  }

  /** The write statement of one change of a batch (what "Preview SQL" shows, and what a save runs). */
  statementFor(schema: TableSchema, change: RowChange): Statement {
    switch (change.kind) {
      case 'insert':
        return this.insert(schema, change.values);
      case 'update':
        return this.update(schema, change.key, change.changes, change.expected);
      case 'delete':
        return this.delete(schema, change.key, change.expected);
      default:
        throw datasourceError('invalid_value', 'A change is an insert, an update or a delete.');
    }
  }

  /** SELECT of one row by key, with the key columns as `__k<i>` like selectPage. */
  selectByKey(schema: TableSchema, key: Record<string, CellValue>): Statement {
    const params = new Params(this.dialect);
    const q = this.dialect.quoteIdentifier;
    const keys = this.keyColumns(schema);
    const columns = [...schema.columns.map((c) => q(c.name)), ...keys.map((k, i) => `${k.expr} AS ${q(`__k${i}`)}`)];
    return { sql: `SELECT ${columns.join(', ')} FROM ${this.table(schema.table)} WHERE ${this.keyMatch(schema, params, key)}`, params: params.values };
  }

  /**
   * GROUP BY statement for a chart. With `sampling`, the rows are only those the sample selects, and a hidden last
   * column counts them per group (see sampling.ts).
   */
  aggregate(schema: TableSchema, request: AggregateRequest, sampling?: AggregateSampling): Statement & { columns: string[]; limit: number } {
    if (schema.table.query && sampling) throw datasourceError('invalid_value', 'A query result is aggregated exactly, not sampled.');
    const params = this.params(schema.table);
    const q = this.dialect.quoteIdentifier;
    if (request.groupBy.length === 0 && request.measures.length === 0) throw datasourceError('invalid_value', 'An aggregate needs a group or a measure.');
    const groups = request.groupBy.map((g, i) => {
      let expr = this.quoted(schema, g.column);
      let bound = false;
      if (g.bin) {
        if (!(typeof g.bin.step === 'number' && Number.isFinite(g.bin.step) && g.bin.step > 0)) throw datasourceError('invalid_value', 'A bin step must be a positive number.');
        const step = g.bin.step;
        expr = this.dialect.binFloor(expr, () => {
          bound = true;
          return params.add(step);
        });
      } else if (g.timeUnit) {
        if (!['year', 'month', 'day', 'hour'].includes(g.timeUnit)) throw datasourceError('invalid_value', `Unknown time unit "${g.timeUnit}".`);
        expr = this.dialect.timeUnit(expr, g.timeUnit);
      }
      return { expr, alias: `g${i}`, as: g.column, bound };
    });
    const measures = request.measures.map((m) => {
      const fn = { count: 'COUNT', sum: 'SUM', mean: 'AVG', min: 'MIN', max: 'MAX' }[m.op];
      if (!fn) throw datasourceError('invalid_value', `Unknown aggregate "${String(m.op)}".`);
      if (m.op !== 'count' && !m.column) throw datasourceError('invalid_value', `Aggregate "${m.op}" needs a column.`);
      return `${fn}(${m.column ? this.quoted(schema, m.column) : '*'}) AS ${q(`m_${m.as}`)}`;
    });
    if (sampling) measures.push(`COUNT(*) AS ${q(SAMPLED_ROWS_ALIAS)}`);
    // Placeholders are numbered in the order the SQL text reads them: select list, FROM, WHERE.
    const from = sampling?.from ? sampling.from(this.table(schema.table), params) : this.table(schema.table);
    const conditions = [...(sampling?.where ? [sampling.where(params)] : []), this.where(schema, params, request.filters)];
    const limit = this.limit(request.limit ?? 10_000, 100_000);
    let sql = `${this.schemaPrefix(schema)}SELECT ${[...groups.map((g) => `${g.expr} AS ${q(g.alias)}`), ...measures].join(', ')} FROM ${from} WHERE ${conditions.join(' AND ')}`;
    // Where placeholders are positional (`?`), a group expression with bound values cannot be repeated: its values
    // are bound once but would be read again by GROUP BY and ORDER BY. Such groups are named by their select-list
    // position instead.
    const positional = this.dialect.placeholder(1) === this.dialect.placeholder(2);
    const groupRefs = groups.map((g, i) => (positional && g.bound ? String(i + 1) : g.expr));
    if (groups.length > 0) sql += ` GROUP BY ${groupRefs.join(', ')} ORDER BY ${groupRefs.join(', ')}`;
    sql += ` LIMIT ${params.add(limit + 1)}`;
    return { sql, params: params.values, columns: [...groups.map((g) => g.as), ...request.measures.map((m) => m.as)], limit };
  }

  /** The datasource said why this table is read-only; every write path refuses with that reason. */
  private writableTable(schema: TableSchema): void {
    if (schema.readOnlyReason) throw datasourceError('read_only', schema.readOnlyReason);
  }

  private writable(schema: TableSchema, name: string): string {
    const column = schema.columns.find((c) => c.name === name);
    if (!column) throw datasourceError('invalid_value', `Column "${name}" does not exist in ${schema.table.name}.`);
    if (column.readOnly || column.generated) throw datasourceError('read_only', `Column "${name}" cannot be written (${column.generated ? 'generated' : 'read-only'}).`);
    return name;
  }

  private keyMatch(schema: TableSchema, params: Params, key: Record<string, CellValue>): string {
    const keys = this.keyColumns(schema);
    if (keys.length === 0) throw datasourceError('read_only', schema.readOnlyReason ?? 'Rows of this table cannot be addressed.');
    return keys
      .map((k) => {
        if (!(k.name in key)) throw datasourceError('invalid_value', `The row key lacks "${k.name}".`);
        const v = key[k.name];
        return v === null ? `${k.expr} IS NULL` : `${k.expr} = ${params.add(v)}`;
      })
      .join(' AND ');
  }

  private rowMatch(schema: TableSchema, params: Params, key: Record<string, CellValue>, expected: RowValues): string {
    const parts = [this.keyMatch(schema, params, key)];
    for (const [name, value] of Object.entries(expected)) parts.push(this.dialect.nullSafeEquals(this.comparable(schema, name), params.add(value)));
    return parts.join(' AND ');
  }

  private limit(limit: number, max = 100_000): number {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) throw datasourceError('invalid_value', `Limit must be an integer from 1 to ${max}.`);
    return limit;
  }
}
