import type { CellValue, ColumnSchema, ForeignKey, TableInfo, TableKind, TableRef, TableSchema } from '../../api';
import { EngineFallbacks, withFallback } from '../kit/engineFallback';
import { datasourceError } from '../kit/errors';
import { pgMissingFeature } from './missingFeature';
import { classify, typmodDetails, type ResolvedType } from './typeKinds';

// Reads PostgreSQL's catalogs. Every name is a bound value here, so a schema called `x"; drop table y; --` is only
// ever data. Arrays come back as JSON text (json_agg) so this code never parses PostgreSQL array literals.

/** Runs one catalog query and returns its rows as arrays. */
export type Query = (sql: string, params?: CellValue[]) => Promise<CellValue[][]>;

const RELKINDS: Record<string, TableKind> = { r: 'table', v: 'view', m: 'materialized-view', p: 'partitioned-table', f: 'foreign-table' };

const HIDDEN_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const PARTITION_PARENT = '(SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE c.relispartition AND i.inhrelid = c.oid LIMIT 1)::text';
/** reltuples of a relation `c`, summed over the leaf partitions of a partitioned table (PostgreSQL 12+). */
export const PARTITION_TUPLES = (c: string) =>
  `CASE WHEN ${c}.relkind = 'p' THEN (SELECT sum(l.reltuples) FROM pg_partition_tree(${c}.oid) t JOIN pg_class l ON l.oid = t.relid WHERE t.isleaf AND l.reltuples >= 0) ELSE ${c}.reltuples END`;

export async function listTables(query: Query, fallbacks = new EngineFallbacks()): Promise<TableInfo[]> {
  const select = (parent: string, tuples: string, comment: string) =>
    query(
      `SELECT n.nspname, c.relname, c.relkind::text, ${parent}, ${tuples}::float8, ${comment}
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND ${HIDDEN_SCHEMAS}
        ORDER BY n.nspname, c.relname`,
    );
  const options = { isMissing: pgMissingFeature, fallbacks };
  // pg_partition_tree is PostgreSQL 12+ (YugabyteDB before 2.25 is 11.2) and missing in CockroachDB: a partitioned
  // table then has no estimate. An engine without the rest of the details still lists its tables.
  const rows = await withFallback(
    'partition row counts',
    () => select(PARTITION_PARENT, PARTITION_TUPLES('c'), "obj_description(c.oid, 'pg_class')"),
    () =>
      withFallback(
        'table statistics and comments',
        () => select(PARTITION_PARENT, "CASE WHEN c.relkind = 'p' THEN NULL ELSE c.reltuples END", "obj_description(c.oid, 'pg_class')"),
        () => select('NULL::text', 'NULL', 'NULL::text'),
        options,
      ),
    options,
  );
  return rows.map(([schema, name, relkind, parent, reltuples, comment]) => {
    const kind = RELKINDS[String(relkind)];
    const info: TableInfo = { ref: { schema: String(schema), name: String(name) }, kind };
    if (parent !== null) info.parent = String(parent);
    // reltuples is -1 until the table is first vacuumed or analyzed; views have no statistics.
    if (kind !== 'view' && typeof reltuples === 'number' && reltuples >= 0) info.rowCount = { count: Math.round(reltuples), exact: false };
    if (comment !== null) info.comment = String(comment);
    return info;
  });
}

/** What a table schema needs beyond the public TableSchema: how each column is compared. */
export interface SchemaDetails {
  schema: TableSchema;
  /**
   * Columns compared and sorted through a cast, with the type to cast to: `text` for types without btree operators
   * (json, xml, geometric…), the enum itself for domains over enums (PostgreSQL finds no operators for those).
   */
  compareAs: Map<string, string>;
  /**
   * Columns whose ordering calls different values equal: a nondeterministic (ICU) collation, or citext. Breaking
   * ties by them needs their bytes (see SqlBuilder.ordering).
   */
  looseText: Set<string>;
}

export async function readSchema(query: Query, table: TableRef, fallbacks = new EngineFallbacks()): Promise<SchemaDetails> {
  const options = { isMissing: pgMissingFeature, fallbacks };
  const relationBy = (comment: string) =>
    query(
      `SELECT c.oid::int8, c.relkind::text, n.nspname, ${comment}
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = coalesce($1, current_schema()) AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')`,
      [table.schema ?? null, table.name],
    );
  const [relation] = await withFallback('table comments', () => relationBy("obj_description(c.oid, 'pg_class')"), () => relationBy('NULL::text'), options);
  if (!relation) {
    const where = table.schema === undefined ? `"${table.name}"` : `"${table.schema}"."${table.name}"`;
    throw datasourceError('not_found', `Table ${where} does not exist (it may have been dropped or renamed by someone else).`);
  }
  const [oidValue, relkind, schemaName, tableComment] = relation;
  const oid = Number(oidValue);
  const kind = RELKINDS[String(relkind)];
  const ref: TableRef = { schema: String(schemaName), name: table.name };

  const columnsBy = (details: { defaults: string; identity: string; generated: string; comment: string; collation: string }) =>
    query(
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid::int8, a.atttypmod, a.attnotnull,
              ${details.defaults}, ${details.identity}, ${details.generated}, ${details.comment}, ${details.collation}
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [oid],
    );
  const full = {
    defaults: 'pg_get_expr(d.adbin, d.adrelid)',
    identity: 'a.attidentity::text',
    // PostgreSQL 12+ (not in YugabyteDB before 2.25)
    generated: 'a.attgenerated::text',
    comment: 'col_description(a.attrelid, a.attnum)',
    // through jsonb: collisdeterministic only exists from PostgreSQL 12 on
    collation: "coalesce((SELECT to_jsonb(co) ->> 'collisdeterministic' = 'false' FROM pg_collation co WHERE co.oid = a.attcollation), false)",
  };
  const plainer = { ...full, generated: "''", collation: 'false' };
  // Without pg_get_expr or col_description, defaults and comments are left out (a default then shows as none).
  const plainest = { ...plainer, defaults: 'NULL::text', identity: "''", comment: 'NULL::text' };
  const columnRows = await withFallback(
    'generated columns and collations',
    () => columnsBy(full),
    () => withFallback('column defaults and comments', () => columnsBy(plainer), () => columnsBy(plainest), options),
    options,
  );
  const types = await resolveTypes(query, columnRows.map((r) => Number(r[2])), fallbacks);

  const keys = await withFallback('index catalogue', () => indexKeys(query, oid), () => constraintKeys(query, String(schemaName), table.name), options);
  const primary = keys.find((k) => k.primary);
  const primaryKey = primary?.columns ?? [];

  const compareAs = new Map<string, string>();
  const looseText = new Set<string>();
  const columns: ColumnSchema[] = columnRows.map(([name, declared, typeOid, typmod, notNull, defaultExpr, identity, generated, comment, nondeterministic]) => {
    const type = types.get(Number(typeOid))!;
    const { kind: columnKind, writable } = classify(type.resolved);
    const column: ColumnSchema = {
      name: String(name),
      declaredType: String(declared),
      kind: columnKind,
      nullable: notNull !== true && !type.domainNotNull,
    };
    if (generated === 's') {
      column.generated = true;
      column.readOnly = true;
      // pg_attrdef holds the generation expression; it is not a default.
    } else if (defaultExpr !== null) column.defaultValue = String(defaultExpr);
    if (identity === 'a' || identity === 'd') {
      column.autoIncrement = true;
      // GENERATED ALWAYS AS IDENTITY refuses explicit values (without OVERRIDING SYSTEM VALUE).
      if (identity === 'a') column.readOnly = true;
    } else if (defaultExpr !== null && /^nextval\(/i.test(String(defaultExpr))) column.autoIncrement = true;
    if (!writable) column.readOnly = true;
    const position = primaryKey.indexOf(column.name);
    if (position >= 0) column.primaryKeyPosition = position + 1;
    const enumValues = type.resolved.enumValues;
    if (enumValues) column.enumValues = enumValues;
    const modifier = typmodDetails(type.resolved.name, type.domainTypmod ?? Number(typmod));
    Object.assign(column, modifier);
    if (comment !== null) column.comment = String(comment);
    if (!isComparable(type.resolved)) compareAs.set(column.name, 'text');
    else if (type.viaDomain && type.resolved.typtype === 'e') compareAs.set(column.name, type.resolved.sqlName);
    if (nondeterministic === true || type.resolved.name === 'citext') looseText.add(column.name);
    return column;
  });

  const schema: TableSchema = {
    table: ref,
    kind,
    columns,
    primaryKey,
    uniqueKeys: keys.filter((k) => !k.primary).map((k) => k.columns),
    // Without the catalogue's foreign keys the form only lacks its links.
    foreignKeys:
      kind === 'view'
        ? []
        : await withFallback(
            'partition foreign keys',
            () => foreignKeys(query, oid),
            () => withFallback('foreign keys', () => foreignKeys(query, oid, ''), () => [], options),
            options,
          ),
  };
  if (tableComment !== null) schema.comment = String(tableComment);

  const notNull = (names: string[]) => names.every((n) => columns.find((c) => c.name === n)?.nullable === false);
  const usable = primary ?? [...keys].filter((k) => notNull(k.columns)).sort((a, b) => a.columns.length - b.columns.length)[0];
  switch (kind) {
    case 'view':
      schema.readOnlyReason = 'This is a view: Nocoflo opens views read-only, since it cannot tell which table rows an edit would reach.';
      break;
    case 'materialized-view':
      // Its columns are all nullable as far as the catalog knows, so even a unique index cannot address rows.
      schema.readOnlyReason = 'This is a materialized view: its rows are the stored result of a query, replaced by REFRESH MATERIALIZED VIEW, so it opens read-only.';
      break;
    case 'foreign-table':
      schema.readOnlyReason = 'This is a foreign table: PostgreSQL knows no primary key for it, so Nocoflo cannot address single rows and opens it read-only.';
      break;
    default:
      if (usable) schema.rowKey = { columns: usable.columns };
      else if (keys.length > 0) {
        schema.readOnlyReason = `This table has no primary key, and its unique keys (${keys.map((k) => k.columns.join(', ')).join('; ')}) allow NULLs, so Nocoflo cannot address single rows. It opens read-only; add a primary key to edit it.`;
      } else {
        schema.readOnlyReason = 'This table has no primary key or unique key, so Nocoflo cannot address single rows. It opens read-only; add a primary key to edit it.';
      }
  }
  return { schema, compareAs, looseText };
}

export function isComparable(type: ResolvedType): boolean {
  if (type.category === 'A') return type.element ? isComparable(type.element) : false;
  return type.comparable;
}

interface ColumnType {
  resolved: ResolvedType;
  /** The column's type is a domain over `resolved`. */
  viaDomain: boolean;
  /** Type modifier of the nearest domain that has one (e.g. a domain over varchar(20)). */
  domainTypmod?: number;
  /** A domain on the way declares NOT NULL. */
  domainNotNull: boolean;
}

/**
 * Each type with domains (over domains…) resolved: base type, nearest domain typmod and NOT NULL, enum labels, whether
 * it has btree operators, and whether the catalogue knows any btree operator class at all (CockroachDB's does not).
 */
const TYPE_CHAIN = `WITH RECURSIVE chain AS (
     SELECT t.oid AS start, t.oid, t.typtype, t.typbasetype, t.typtypmod, t.typnotnull, 0 AS depth FROM pg_type t WHERE t.oid = ANY($1::oid[])
     UNION ALL
     SELECT c.start, b.oid, b.typtype, b.typbasetype, b.typtypmod, b.typnotnull, c.depth + 1
       FROM chain c JOIN pg_type b ON b.oid = c.typbasetype WHERE c.typtype = 'd'
   )
   SELECT c.start::int8, c.oid = c.start, format_type(b.oid, NULL), b.typname, n.nspname, b.typtype::text, b.typcategory::text, b.typelem::int8,
          (SELECT x.typtypmod FROM chain x WHERE x.start = c.start AND x.typtype = 'd' AND x.typtypmod >= 0 ORDER BY x.depth LIMIT 1),
          (SELECT bool_or(x.typnotnull) FROM chain x WHERE x.start = c.start AND x.typtype = 'd'),
          (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = b.oid)::text,
          b.typtype IN ('e', 'r', 'm') OR EXISTS (
            SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
             WHERE am.amname = 'btree' AND oc.opcdefault
               AND (oc.opcintype = b.oid OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = b.oid AND k.casttarget = oc.opcintype AND k.castmethod = 'b' AND k.castcontext = 'i'))),
          EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod WHERE am.amname = 'btree')
     FROM chain c JOIN pg_type b ON b.oid = c.oid JOIN pg_namespace n ON n.oid = b.typnamespace
    WHERE c.typtype <> 'd'`;

/** Resolves domains (over domains…) to their base types, with enum labels and array element types. */
export async function resolveTypes(query: Query, oids: number[], fallbacks: EngineFallbacks): Promise<Map<number, ColumnType>> {
  const result = new Map<number, ColumnType>();
  let pending = [...new Set(oids)];
  const elements = new Map<number, number>();
  while (pending.length > 0) {
    const chain = () => query(TYPE_CHAIN, [pending as unknown as CellValue]);
    const rows = await withFallback('type catalogue', chain, () => plainTypes(query, pending), { isMissing: pgMissingFeature, fallbacks });
    const next: number[] = [];
    for (const [start, direct, sqlName, name, schema, typtype, category, elem, domainTypmod, domainNotNull, labels, comparable, knowsOperators] of rows) {
      const known = knowsOperators === true ? comparable === true : comparableByName(String(name), String(typtype));
      const resolved: ResolvedType = { name: String(name), schema: String(schema), sqlName: String(sqlName), typtype: String(typtype), category: String(category), comparable: known };
      if (labels !== null) resolved.enumValues = JSON.parse(String(labels)) as string[];
      const entry: ColumnType = { resolved, viaDomain: direct !== true, domainNotNull: domainNotNull === true };
      if (domainTypmod !== null) entry.domainTypmod = Number(domainTypmod);
      result.set(Number(start), entry);
      if (resolved.category === 'A' && Number(elem) !== 0) {
        elements.set(Number(start), Number(elem));
        if (!result.has(Number(elem))) next.push(Number(elem));
      }
    }
    pending = [...new Set(next)].filter((o) => !result.has(o));
  }
  for (const [arrayOid, elementOid] of elements) {
    const element = result.get(elementOid);
    if (element) result.get(arrayOid)!.resolved.element = element.resolved;
  }
  return result;
}

/**
 * Types without btree operators in PostgreSQL, for engines whose pg_opclass is empty (CockroachDB): there every type
 * would look incomparable, and integers would sort as text. Those listed here are compared as text.
 */
const INCOMPARABLE = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

export function comparableByName(name: string, typtype: string): boolean {
  return typtype === 'e' || !INCOMPARABLE.has(name);
}

/** The types themselves, without resolving domains or reading enum labels: rows shaped like resolveTypes' query. */
function plainTypes(query: Query, oids: number[]): Promise<CellValue[][]> {
  return query(
    `SELECT t.oid::int8, true, format_type(t.oid, NULL), t.typname, n.nspname, t.typtype::text, t.typcategory::text, t.typelem::int8, NULL::int4, false, NULL::text, NULL::bool, false
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ANY($1::oid[])`,
    [oids as unknown as CellValue],
  );
}

/** The primary key and unique constraints from information_schema, for engines whose pg_index cannot be read. */
async function constraintKeys(query: Query, schema: string, table: string): Promise<{ primary: boolean; columns: string[] }[]> {
  const rows = await query(
    `SELECT tc.constraint_type = 'PRIMARY KEY', json_agg(k.column_name::text ORDER BY k.ordinal_position)::text
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
      WHERE tc.table_schema = $1 AND tc.table_name = $2 AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
      GROUP BY tc.constraint_name, tc.constraint_type
      ORDER BY tc.constraint_type = 'PRIMARY KEY' DESC, tc.constraint_name`,
    [schema, table],
  );
  return rows.map(([primary, columns]) => ({ primary: primary === true, columns: JSON.parse(String(columns)) as string[] }));
}

/** Unique, valid, non-partial, non-expression indexes (the primary key among them), columns in key order. */
async function indexKeys(query: Query, oid: number): Promise<{ primary: boolean; columns: string[] }[]> {
  const rows = await query(
    `SELECT i.indisprimary,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.ord <= i.indnkeyatts)::text
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
      ORDER BY i.indisprimary DESC, ic.relname`,
    [oid],
  );
  return rows.filter((r) => r[1] !== null).map(([primary, columns]) => ({ primary: primary === true, columns: JSON.parse(String(columns)) as string[] }));
}

/** A foreign key to a partitioned table also appears once per referenced partition; keep the parent one. */
const PARENT_FOREIGN_KEY = 'AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.oid = con.conparentid AND p.conrelid = con.conrelid)';

async function foreignKeys(query: Query, oid: number, parentClause = PARENT_FOREIGN_KEY): Promise<ForeignKey[]> {
  const rows = await query(
    `SELECT fn.nspname, f.relname,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text,
            (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text
       FROM pg_constraint con JOIN pg_class f ON f.oid = con.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
      WHERE con.conrelid = $1 AND con.contype = 'f'
        ${parentClause}
      ORDER BY con.conname`,
    [oid],
  );
  return rows.map(([schema, name, columns, referenced]) => ({
    columns: JSON.parse(String(columns)) as string[],
    references: { schema: String(schema), name: String(name) },
    referencedColumns: JSON.parse(String(referenced)) as string[],
  }));
}
