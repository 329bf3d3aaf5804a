import type { RowCount, TableInfo, TableRef, TableSchema } from '../../api';
import type { OverviewColumn, OverviewTable } from '../../shared/fileOverviewProtocol';
import { errorMessage } from './log';
import { countWithin, TREE_COUNT_BUDGET_MS, TREE_COUNT_CAP } from './treeCounts';

// What the overview of a database file shows: every table and view with its columns and keys, then row counts as
// they come (each within the sidebar's budget and cap, so one huge table cannot hold up the rest). A table whose
// schema or count fails shows its own problem; the others still show. Free of `vscode`, tested on real files.

export interface OverviewSource {
  listTables(signal: AbortSignal): Promise<TableInfo[]>;
  schema(table: TableRef): Promise<TableSchema>;
  /** Counts up to `cap` (then "cap+"), estimating where the datasource can. */
  count(table: TableRef, options: { cap: number; signal: AbortSignal }): Promise<RowCount>;
}

export function overviewColumns(schema: TableSchema): OverviewColumn[] {
  return schema.columns.map((column) => {
    const fk = schema.foreignKeys.find((f) => f.columns.includes(column.name));
    const target = fk ? `${fk.references.schema ? `${fk.references.schema}.` : ''}${fk.references.name}(${fk.referencedColumns[fk.columns.indexOf(column.name)] ?? fk.referencedColumns.join(', ')})` : undefined;
    return {
      name: column.name,
      type: column.declaredType || column.kind,
      nullable: column.nullable,
      ...(column.primaryKeyPosition !== undefined ? { primaryKey: column.primaryKeyPosition } : {}),
      ...(target ? { references: target } : {}),
    };
  });
}

/**
 * Reads the overview, calling `update` with the whole list each time something arrives (tables, then each
 * schema, then each count), and resolves when everything has been read or `signal` is aborted.
 */
export async function readOverview(source: OverviewSource, signal: AbortSignal, update: (tables: OverviewTable[]) => void): Promise<void> {
  const infos = (await source.listTables(signal)).filter((t) => !t.parent);
  const tables: OverviewTable[] = infos.map((info) => ({
    name: info.ref.name,
    ...(info.ref.schema !== undefined ? { schema: info.ref.schema } : {}),
    kind: info.kind,
    ...(info.rowCount ? { rows: info.rowCount } : {}),
  }));
  update([...tables]);
  // Schemas first (they are what the page is about), two at a time like the sidebar's counts.
  await inPairs(infos.map((info, i) => async () => {
    try {
      tables[i] = { ...tables[i], columns: overviewColumns(await source.schema(info.ref)) };
    } catch (error) {
      tables[i] = { ...tables[i], schemaProblem: errorMessage(error) };
    }
    if (!signal.aborted) update([...tables]);
  }), signal);
  await inPairs(infos.map((info, i) => async () => {
    if (tables[i].rows) return;
    const outcome = await countWithin((countSignal) => source.count(info.ref, { cap: TREE_COUNT_CAP, signal: AbortSignal.any([signal, countSignal]) }), TREE_COUNT_BUDGET_MS);
    if (outcome.kind === 'counted') tables[i] = { ...tables[i], rows: outcome.count };
    else tables[i] = { ...tables[i], countProblem: outcome.kind === 'timed out' ? 'counting took too long' : errorMessage(outcome.error) };
    if (!signal.aborted) update([...tables]);
  }), signal);
}

async function inPairs(jobs: (() => Promise<void>)[], signal: AbortSignal): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job && !signal.aborted; job = queue.shift()) await job();
  };
  await Promise.all([worker(), worker()]);
}
