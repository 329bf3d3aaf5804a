import type { AggregateOp, AggregateResult, CellValue } from '../../../api';
import { type ChartRequest, toNumber } from './chartQuery';

// For datasources that cannot aggregate (capabilities.aggregate false: REST APIs, some third-party plugins): the
// same aggregate computed here over a bounded sample of rows, with the datasource's own semantics as far as a
// chart can tell (NULL groups first, bins floored, time units truncated like SQLite's strftime, NULLs skipped by
// every measure but count).

/** Rows read for a sample; the view says when this is fewer than the table has. */
export const SAMPLE_ROWS = 5_000;

type Key = string;

function groupValue(value: CellValue, group: ChartRequest['groupBy'][number]): CellValue {
  if (value === null) return null;
  if (group.bin) {
    const n = toNumber(value);
    return n === null ? null : Number((Math.floor(n / group.bin.step) * group.bin.step).toPrecision(15));
  }
  if (group.timeUnit) {
    const text = typeof value === 'string' ? value.replace('T', ' ') : '';
    const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}))?/.exec(text);
    if (!match) return null;
    const [, y, m, d, h] = match;
    return { year: y, month: `${y}-${m}`, day: `${y}-${m}-${d}`, hour: `${y}-${m}-${d} ${h ?? '00'}:00` }[group.timeUnit];
  }
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

const keyOf = (values: CellValue[]): Key => values.map((v) => (v === null ? 'n' : `${typeof v}:${v instanceof Uint8Array ? Array.from(v).join(',') : String(v)}`)).join('\u0000');

/** SQL's order of group values: NULL, then numbers, then text (compared by code unit, like SQLite's BINARY). */
function compareValues(a: CellValue, b: CellValue): number {
  const rank = (v: CellValue) => (v === null ? 0 : typeof v === 'number' || typeof v === 'bigint' ? 1 : typeof v === 'string' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface Accumulator {
  count: number;
  numbers: number;
  sum: number;
  min: number | null;
  max: number | null;
}

function measureValue(op: AggregateOp, acc: Accumulator): number | null {
  switch (op) {
    case 'count':
      return acc.count;
    case 'sum':
      return acc.numbers > 0 ? acc.sum : null;
    case 'mean':
      return acc.numbers > 0 ? acc.sum / acc.numbers : null;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
  }
}

/**
 * The aggregate of `request` over `rows` (whose column names are `columns`), shaped like a datasource's answer.
 * The rows are read with the request's filters already applied (readRows filters in the datasource), so its
 * `filters` are not looked at again here.
 */
export function aggregateSample(columns: readonly string[], rows: readonly CellValue[][], request: Omit<ChartRequest, 'filters'>): AggregateResult {
  const index = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`The sample has no column "${name}".`);
    return i;
  };
  const groupIndexes = request.groupBy.map((g) => index(g.column));
  const measureIndexes = request.measures.map((m) => (m.column === undefined ? -1 : index(m.column)));
  const groups = new Map<Key, { values: CellValue[]; accs: Accumulator[] }>();
  for (const row of rows) {
    const values = request.groupBy.map((g, i) => groupValue(row[groupIndexes[i]] ?? null, g));
    const key = keyOf(values);
    let group = groups.get(key);
    if (!group) {
      group = { values, accs: request.measures.map(() => ({ count: 0, numbers: 0, sum: 0, min: null, max: null })) };
      groups.set(key, group);
    }
    request.measures.forEach((m, i) => {
      const acc = group!.accs[i];
      const raw = measureIndexes[i] < 0 ? 0 : (row[measureIndexes[i]] ?? null);
      if (m.op === 'count') {
        if (measureIndexes[i] < 0 || raw !== null) acc.count++;
        return;
      }
      const n = raw === null ? null : toNumber(raw);
      if (n === null) return;
      acc.numbers++;
      acc.sum += n;
      acc.min = acc.min === null ? n : Math.min(acc.min, n);
      acc.max = acc.max === null ? n : Math.max(acc.max, n);
    });
  }
  // A query without groups still answers one row (COUNT(*) of nothing is 0), like SQL.
  if (request.groupBy.length === 0 && groups.size === 0) groups.set('', { values: [], accs: request.measures.map(() => ({ count: 0, numbers: 0, sum: 0, min: null, max: null })) });
  const sorted = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  const limit = request.limit ?? 10_000;
  const out = sorted.slice(0, limit).map((g) => [...g.values, ...request.measures.map((m, i) => measureValue(m.op, g.accs[i]))]);
  return {
    columns: [...request.groupBy.map((g) => g.column), ...request.measures.map((m) => m.as)],
    rows: out,
    ...(sorted.length > limit ? { truncated: true } : {}),
  };
}
