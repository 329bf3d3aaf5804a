// One file (402 lines): every chart model test shares the same fixture schema, configs and theme set up below.
// The chart view's pure models: stored configs read back defensively, the automatic first chart, builder state →
// aggregate request → chart data → vega-lite spec, and the in-view aggregation for datasources without
// `aggregate`, checked against real SQLite (sql.js running the SQL kit's own GROUP BY). Specs are compiled by the
// real vega-lite and run in the real vega (with the CSP-safe expression interpreter) to count the marks drawn.
import * as assert from 'node:assert/strict';
import initSqlJs from 'sql.js';
import type { AggregateResult, CellValue, ColumnSchema, TableSchema } from '../../api';
import { sqliteDialect } from '../../plugins/kit/sql/dialect';
import { SqlBuilder } from '../../plugins/kit/sql/queryBuilder';
import { canChart } from '../../plugins/chart-view';
import { autoChartCandidates, fillRequest, rankByFill } from '../../webview/chart/model/autoChart';
import { type ChartConfig, describeConfig, validateConfig } from '../../webview/chart/model/chartConfig';
import { chartData, timeLabel, xType } from '../../webview/chart/model/chartData';
import { chartRequest, extentRequest, MAX_GROUPS, niceStep, readExtent, toNumber } from '../../webview/chart/model/chartQuery';
import { chartSpec, type ChartTheme } from '../../webview/chart/model/chartSpec';
import { restoreChartState, saveChartState } from '../../webview/chart/model/chartState';
import { chipText } from '../../webview/chart/model/filterChips';
import { aggregateSample } from '../../webview/chart/model/sampleAggregate';

const col = (name: string, kind: ColumnSchema['kind'], extra: Partial<ColumnSchema> = {}): ColumnSchema => ({ name, declaredType: kind.toUpperCase(), kind, nullable: true, ...extra });

/** Like the sample database's events table. */
const events: TableSchema = {
  table: { name: 'events' },
  kind: 'table',
  columns: [
    col('id', 'integer', { primaryKeyPosition: 1, nullable: false }),
    col('at', 'datetime', { nullable: false }),
    col('kind', 'text', { nullable: false }),
    col('value', 'float'),
    col('customer_id', 'integer'),
    col('payload', 'blob'),
  ],
  primaryKey: ['id'],
  foreignKeys: [{ columns: ['customer_id'], references: { name: 'customers' }, referencedColumns: ['id'] }],
  rowKey: { columns: ['id'] },
};
const columns = events.columns;
const bar = (extra: Partial<ChartConfig> = {}): ChartConfig => ({ version: 1, mark: 'bar', x: 'kind', aggregate: 'mean', y: 'value', ...extra });
const theme: ChartTheme = { foreground: '#ccc', muted: '#999', grid: '#333', font: 'sans-serif', fontSize: 12, palette: ['#3794ff', '#d18616', '#89d185'] };

describe('chart view: canHandle', () => {
  it('charts tables with an integer, float or decimal column, and nothing else', () => {
    assert.equal(canChart(events), true);
    for (const kind of ['integer', 'float', 'decimal'] as const) assert.equal(canChart({ ...events, columns: [col('n', kind)] }), true, kind);
    assert.equal(canChart({ ...events, columns: [col('t', 'text'), col('d', 'date'), col('b', 'boolean')] }), false);
  });
});

describe('chart view: stored configs', () => {
  it('takes a valid config as it is', () => {
    const config = bar({ color: 'at' });
    assert.deepEqual(validateConfig(JSON.parse(JSON.stringify(config)), columns), config);
    const binned: ChartConfig = { version: 1, mark: 'area', x: 'value', bin: true, binStep: 2.5, aggregate: 'count' };
    assert.deepEqual(validateConfig(binned, columns), binned);
    const timed: ChartConfig = { version: 1, mark: 'line', x: 'at', timeUnit: 'hour', aggregate: 'max', y: 'value' };
    assert.deepEqual(validateConfig(timed, columns), timed);
  });

  it('refuses what is not a chart config of this table: no object, another version, unknown mark, x gone or unchartable, unknown aggregate', () => {
    for (const raw of [undefined, null, 'bar', [], { ...bar(), version: 2 }, { ...bar(), version: undefined }, { ...bar(), mark: 'pie3d' }, { ...bar(), x: 'dropped' }, { ...bar(), x: 'payload' }, { ...bar(), aggregate: 'median' }]) {
      assert.equal(validateConfig(raw, columns), undefined, JSON.stringify(raw));
    }
  });

  it('repairs what no longer fits instead of losing the chart', () => {
    assert.deepEqual(validateConfig(bar({ y: 'dropped' }), columns), { version: 1, mark: 'bar', x: 'kind', aggregate: 'count' }, 'a measure column that is gone: count rows');
    assert.deepEqual(validateConfig(bar({ y: 'kind' }), columns), { version: 1, mark: 'bar', x: 'kind', aggregate: 'count' }, 'a measure column that is no longer numeric');
    assert.deepEqual(validateConfig(bar({ color: 'dropped' }), columns), bar(), 'a colour column that is gone');
    assert.deepEqual(validateConfig(bar({ color: 'kind' }), columns), bar(), 'colour may not repeat x');
    assert.deepEqual(validateConfig(bar({ bin: true, binStep: 5 }), columns), bar(), 'no bins on text');
    assert.deepEqual(validateConfig(bar({ timeUnit: 'day' }), columns), bar(), 'no time unit on text');
    assert.deepEqual(validateConfig({ version: 1, mark: 'bar', x: 'value', bin: true, binStep: -1, aggregate: 'count' }, columns), { version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' }, 'a bad step: automatic');
    assert.deepEqual(validateConfig({ ...bar({ color: 'at' }), mark: 'arc' }, columns), { ...bar(), mark: 'arc' }, 'pies have no colour');
    assert.deepEqual(validateConfig({ ...bar(), aggregate: 'count' }, columns), { version: 1, mark: 'bar', x: 'kind', aggregate: 'count' }, 'count takes no column');
  });

  it('describes a config in words', () => {
    assert.equal(describeConfig(bar({ color: 'at' })), 'Mean of value by kind and at');
    assert.equal(describeConfig({ version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' }), 'Count of rows by value (binned)');
  });
});

describe('chart view: the automatic first chart', () => {
  it('few categories of a text column against the mean of the first numeric column that is not a key', () => {
    const [first, ...rest] = autoChartCandidates(events);
    assert.deepEqual(first, { config: bar(), maxGroups: 30, needsValues: true });
    // Then the date column over time, then a histogram of the measured number.
    assert.deepEqual(
      rest.map((c) => c.config),
      [
        { version: 1, mark: 'line', x: 'at', timeUnit: 'day', aggregate: 'mean', y: 'value' },
        { version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' },
      ],
    );
  });

  it('prefers enums and booleans, counts rows when every number is a key, and needs a number at all', () => {
    const schema: TableSchema = { ...events, columns: [col('id', 'integer', { primaryKeyPosition: 1 }), col('name', 'text'), col('status', 'enum', { enumValues: ['a', 'b'] }), col('signed_up', 'date')], primaryKey: ['id'], foreignKeys: [] };
    const candidates = autoChartCandidates(schema);
    assert.deepEqual(candidates[0], { config: { version: 1, mark: 'bar', x: 'status', aggregate: 'count' }, maxGroups: 30, needsValues: true });
    assert.deepEqual(candidates[1].config.x, 'name');
    assert.deepEqual(candidates[2].config, { version: 1, mark: 'line', x: 'signed_up', timeUnit: 'month', aggregate: 'count' });
    assert.deepEqual(candidates.at(-1)!.config, { version: 1, mark: 'bar', x: 'id', bin: true, aggregate: 'count' }, 'a table of ids still gets a histogram');
    assert.deepEqual(autoChartCandidates({ ...events, columns: [col('t', 'text')] }), []);
  });

  it('passes over mostly-NULL columns and tries the most filled categories first (Chinook\'s invoices)', () => {
    const invoice: TableSchema = {
      table: { name: 'Invoice' },
      kind: 'table',
      columns: [col('InvoiceId', 'integer', { primaryKeyPosition: 1, nullable: false }), col('InvoiceDate', 'datetime'), col('BillingCity', 'text'), col('BillingState', 'text'), col('BillingCountry', 'text'), col('Fax', 'text'), col('Total', 'decimal', { nullable: false })],
      primaryKey: ['InvoiceId'],
      foreignKeys: [],
    };
    const candidates = autoChartCandidates(invoice);
    const probe = fillRequest(candidates, [{ column: 'Total', op: 'gt', value: 1 }])!;
    assert.deepEqual(probe.groupBy, []);
    assert.deepEqual(probe.filters, [{ column: 'Total', op: 'gt', value: 1 }], 'counted under the chart\'s filters');
    // The probe as a datasource answers it (here the in-view aggregation, which the tests above hold to SQL's).
    const rows: CellValue[][] = Array.from({ length: 412 }, (_, i) => [i + 1, '2021-01-01', `city ${i % 53}`, i % 2 === 0 ? `state ${i % 25}` : null, `country ${i % 24}`, i < 40 ? 'fax' : null, 2]);
    const fill = aggregateSample(invoice.columns.map((c) => c.name), rows, probe);
    const order = rankByFill(candidates, fill).map((c) => `${c.config.mark} ${c.config.x}${c.config.bin ? ' binned' : ''}`);
    assert.deepEqual(order, ['bar BillingCity', 'bar BillingCountry', 'bar BillingState', 'line InvoiceDate', 'bar Total binned'], 'Fax (90 % NULL) is dropped; State (half NULL) comes after the filled ones');
    assert.deepEqual(rankByFill(candidates, { columns: fill.columns, rows: [fill.columns.map(() => 0)] }), candidates, 'no rows: nothing to judge by');
    assert.deepEqual(rankByFill(candidates, undefined), candidates);
    assert.equal(fillRequest([{ config: bar() }], []), undefined, 'a histogram alone needs no probe');
  });

  it('every candidate is a valid config', () => {
    for (const c of autoChartCandidates(events)) assert.deepEqual(validateConfig(c.config, columns), c.config);
  });
});

describe('chart view: builder state → aggregate request', () => {
  it('groups by x (and colour), measures once, passes the filters and a group limit', () => {
    const filters = [{ column: 'value', op: 'gt' as const, value: 10 }];
    assert.deepEqual(chartRequest(bar({ color: 'at' }), filters), {
      groupBy: [{ column: 'kind' }, { column: 'at' }],
      measures: [{ op: 'mean', column: 'value', as: 'value' }],
      filters,
      limit: MAX_GROUPS,
    });
    assert.deepEqual(chartRequest({ version: 1, mark: 'arc', x: 'kind', aggregate: 'count', color: 'at' }, [], undefined, 30), { groupBy: [{ column: 'kind' }], measures: [{ op: 'count', as: 'value' }], limit: 30 });
    assert.deepEqual(chartRequest({ version: 1, mark: 'line', x: 'at', timeUnit: 'month', aggregate: 'sum', y: 'value' }, []).groupBy, [{ column: 'at', timeUnit: 'month' }]);
  });

  it('bins with the chosen step, else the automatic one, and never without a step', () => {
    const binned: ChartConfig = { version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' };
    assert.deepEqual(chartRequest({ ...binned, binStep: 2 }, [], 10).groupBy, [{ column: 'value', bin: { step: 2 } }]);
    assert.deepEqual(chartRequest(binned, [], 10).groupBy, [{ column: 'value', bin: { step: 10 } }]);
    assert.throws(() => chartRequest(binned, []), /bin step/);
    assert.deepEqual(extentRequest(binned, []), { groupBy: [], measures: [{ op: 'min', column: 'value', as: 'min' }, { op: 'max', column: 'value', as: 'max' }] });
  });

  it('chooses round bin steps of about 20 bins', () => {
    assert.equal(niceStep(0, 100), 5);
    assert.equal(niceStep(0, 1), 0.05);
    assert.equal(niceStep(-7, 1234), 100);
    assert.equal(niceStep(0, 0.3), 0.02);
    assert.equal(niceStep(3, 3), 1, 'a single value');
    assert.equal(niceStep(1, 5, 20, true), 1, 'integers: whole steps');
    assert.equal(niceStep(0, 1_000, 20, true), 50);
    assert.equal(niceStep(1, 5), 0.2, 'the same extent as floats');
    assert.deepEqual(readExtent({ columns: ['min', 'max'], rows: [[1n, '2.5']] }), { min: 1, max: 2.5 });
    assert.equal(readExtent({ columns: ['min', 'max'], rows: [[null, null]] }), undefined);
  });

  it('reads exact numbers as doubles', () => {
    assert.deepEqual([1n, '12.50', 3, true, null, 'x', '', Number.NaN].map((v) => toNumber(v as CellValue)), [1, 12.5, 3, 1, null, null, null, null]);
  });
});

describe('chart view: aggregate rows → chart data', () => {
  it('one datum per group, with fixed field names whatever the columns are called', () => {
    const result: AggregateResult = { columns: ['kind', 'at', 'value'], rows: [['click', '2024-01-01', 2n], [null, '2024-01-02', '3.5']] };
    assert.deepEqual(chartData(bar({ color: 'at' }), result, columns).values, [
      { x: 'click', color: '2024-01-01', value: 2 },
      { x: 'NULL', color: '2024-01-02', value: 3.5 },
    ]);
  });

  it('bins carry their end; NULL has no place on a numeric axis and is counted instead', () => {
    const config: ChartConfig = { version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' };
    const data = chartData(config, { columns: ['value', 'value'], rows: [[null, 4], [0, 10], [0.1, 3]] }, columns, 0.1);
    assert.deepEqual(data.values, [{ x: 0, x2: 0.1, value: 10 }, { x: 0.1, x2: 0.2, value: 3 }]);
    assert.equal(data.nullX, 1);
  });

  it('names booleans true and false, however the database stores them', () => {
    const flags: ColumnSchema[] = [...columns, col('vip', 'boolean')];
    const config: ChartConfig = { version: 1, mark: 'bar', x: 'vip', aggregate: 'count' };
    const result: AggregateResult = { columns: ['vip', 'value'], rows: [[null, 1], [0, 2], [1, 3], [true, 4], [false, 5]] };
    assert.deepEqual(chartData(config, result, flags).values.map((d) => d.x), ['NULL', 'false', 'true', 'true', 'false']);
    assert.deepEqual(chartData({ ...bar(), color: 'vip' }, { columns: ['kind', 'vip', 'value'], rows: [['a', 1n, 1]] }, flags).values[0].color, 'true');
  });

  it('spells time-unit groups the same for every database', () => {
    assert.equal(timeLabel('2024-05', 'month'), '2024-05', 'SQLite / MySQL');
    assert.equal(timeLabel('2024-05-01 00:00:00', 'month'), '2024-05', 'PostgreSQL date_trunc');
    assert.equal(timeLabel('2024-05-01 13:00:00+00', 'hour'), '2024-05-01 13:00');
    assert.equal(timeLabel('2024-05-01T13:00:00', 'day'), '2024-05-01');
    assert.equal(timeLabel(null, 'year'), 'NULL');
  });

  it('lays x out by kind and mark', () => {
    assert.equal(xType(bar(), columns[2]), 'nominal');
    assert.equal(xType({ ...bar(), x: 'at', timeUnit: 'day' }, columns[1]), 'ordinal');
    assert.equal(xType({ ...bar(), x: 'customer_id' }, columns[4]), 'ordinal', 'numbers as bars: one per value');
    assert.equal(xType({ ...bar(), mark: 'line', x: 'customer_id' }, columns[4]), 'quantitative', 'numbers as a line: on a scale');
    assert.equal(xType({ ...bar(), x: 'value', bin: true }, columns[3]), 'quantitative');
  });
});

describe('chart view: sample aggregation matches the database', function () {
  // Loading sql.js's wasm takes a while on a busy machine (run alone, mocha's default is 2 s).
  this.timeout(60_000);
  let rows: CellValue[][];
  let sqlAggregate: (request: ReturnType<typeof chartRequest>) => AggregateResult;

  before(async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database();
    db.run('CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, kind TEXT NOT NULL, value REAL, customer_id INTEGER, payload BLOB)');
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, NULL)');
    const kinds = ['view', 'click', 'purchase', 'refund', 'Refund'];
    for (let id = 1; id <= 1_000; id++) {
      const at = new Date(Date.UTC(2024, 0, 1) + id * 37 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
      insert.run([id, at, kinds[(id * 7) % kinds.length], id % 9 === 0 ? null : ((id * 7919) % 20_000) / 100 - 50, id % 4 === 0 ? null : id % 13]);
    }
    insert.free();
    rows = db.exec('SELECT id, at, kind, value, customer_id, payload FROM events ORDER BY id')[0].values as CellValue[][];
    const builder = new SqlBuilder(sqliteDialect);
    sqlAggregate = (request) => {
      const statement = builder.aggregate(events, request);
      const result = db.exec(statement.sql, statement.params as (number | string | null)[])[0];
      const out = (result?.values ?? []) as CellValue[][];
      return { columns: statement.columns, rows: out.slice(0, statement.limit), ...(out.length > statement.limit ? { truncated: true } : {}) };
    };
  });

  const configs: [string, ChartConfig, number?][] = [
    ['mean by text', bar()],
    ['count by text and nullable integer', { version: 1, mark: 'bar', x: 'kind', aggregate: 'count', color: 'customer_id' }],
    ['sum by nullable integer', { version: 1, mark: 'bar', x: 'customer_id', aggregate: 'sum', y: 'value' }],
    ['min by hour', { version: 1, mark: 'line', x: 'at', timeUnit: 'hour', aggregate: 'min', y: 'value' }],
    ['max by day', { version: 1, mark: 'line', x: 'at', timeUnit: 'day', aggregate: 'max', y: 'value' }],
    ['count by month and kind', { version: 1, mark: 'rect', x: 'at', timeUnit: 'month', aggregate: 'count', color: 'kind' }],
    ['histogram of negative and positive floats', { version: 1, mark: 'bar', x: 'value', bin: true, binStep: 7.5, aggregate: 'count' }],
    ['mean by integer bins', { version: 1, mark: 'bar', x: 'id', bin: true, binStep: 100, aggregate: 'mean', y: 'value' }],
  ];
  for (const [name, config] of configs) {
    it(name, () => {
      const request = chartRequest(config, []);
      const expected = sqlAggregate(request);
      const actual = aggregateSample(['id', 'at', 'kind', 'value', 'customer_id', 'payload'], rows, request);
      assert.deepEqual(actual.columns, expected.columns);
      assert.equal(actual.rows.length, expected.rows.length);
      actual.rows.forEach((row, i) =>
        row.forEach((v, j) => {
          const e = expected.rows[i][j];
          if (typeof v === 'number' && typeof e === 'number') assert.ok(Math.abs(v - e) < 1e-9 * Math.max(1, Math.abs(e)), `row ${i} col ${j}: ${v} vs ${e}`);
          else assert.deepEqual(v, e, `row ${i} col ${j}`);
        }),
      );
    });
  }

  it('cuts at the limit and says so, like the datasource', () => {
    const request = chartRequest({ version: 1, mark: 'bar', x: 'id', aggregate: 'count' }, [], undefined, 10);
    const actual = aggregateSample(['id', 'at', 'kind', 'value', 'customer_id', 'payload'], rows, request);
    assert.deepEqual(actual, sqlAggregate(request));
    assert.equal(actual.truncated, true);
  });

  it('an extent over no rows is one row of NULLs, as in SQL', () => {
    const request = extentRequest({ version: 1, mark: 'bar', x: 'value', bin: true, aggregate: 'count' }, []);
    assert.deepEqual(aggregateSample(['value'], [], request), { columns: ['min', 'max'], rows: [[null, null]] });
  });
});

describe('chart view: vega-lite spec, compiled and run in vega', function () {
  // The first test loads vega and vega-lite.
  this.timeout(60_000);
  type Item = { items?: Item[]; marktype?: string; role?: string };
  /** Items drawn per mark type (a line's items are its points), and with `shapes`, mark instances (series). */
  async function marksDrawn(spec: unknown, shapes = false): Promise<Record<string, number>> {
    const vl = await import('vega-lite');
    const vega = await import('vega');
    const { expressionInterpreter } = await import('vega-interpreter');
    const compiled = vl.compile(spec as Parameters<typeof vl.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter } as ConstructorParameters<typeof vega.View>[1]);
    await view.runAsync();
    const counts: Record<string, number> = {};
    const walk = (node: Item) => {
      if (node.marktype && node.role === 'mark') counts[node.marktype] = (counts[node.marktype] ?? 0) + (shapes ? 1 : (node.items?.length ?? 0));
      for (const child of node.items ?? []) walk(child);
    };
    walk((view.scenegraph() as unknown as { root: Item }).root);
    view.finalize();
    return counts;
  }
  /** The x axis's category labels vega draws: its overlap check hides a label by making it transparent. */
  async function xLabelsDrawn(spec: unknown): Promise<string[]> {
    const vl = await import('vega-lite');
    const vega = await import('vega');
    const { expressionInterpreter } = await import('vega-interpreter');
    const view = new vega.View(vega.parse(vl.compile(spec as Parameters<typeof vl.compile>[0]).spec, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter } as ConstructorParameters<typeof vega.View>[1]);
    await view.runAsync();
    type Node = Item & { datum?: { scale?: string; labels?: boolean }; text?: string; opacity?: number };
    const labels: string[] = [];
    const walk = (node: Node, inX: boolean) => {
      const x = inX || (node.datum?.scale === 'x' && node.datum.labels === true);
      if (x && node.role === 'axis-label') for (const t of (node.items ?? []) as Node[]) if (t.opacity !== 0) labels.push(String(t.text));
      for (const child of node.items ?? []) walk(child as Node, x);
    };
    walk((view.scenegraph() as unknown as { root: Node }).root, false);
    view.finalize();
    return labels;
  }
  const size = { width: 600, height: 400 };
  const kinds: AggregateResult = { columns: ['kind', 'value'], rows: [['click', 1], ['purchase', 5], ['refund', 2], ['view', 9]] };

  it('a bar per group', async () => {
    const spec = chartSpec(bar(), chartData(bar(), kinds, columns), columns, theme, size);
    assert.deepEqual(await marksDrawn(spec), { rect: 4 });
  });

  it('every mark draws its groups (a line through a point per group, marked when there are few)', async () => {
    const expected: Record<string, Record<string, number>> = { line: { line: 4, symbol: 4 }, area: { area: 4 }, point: { symbol: 4 }, arc: { arc: 4 }, tick: { rect: 4 }, rect: { rect: 4 } };
    for (const [mark, counts] of Object.entries(expected)) {
      const config = { ...bar(), mark } as ChartConfig;
      assert.deepEqual(await marksDrawn(chartSpec(config, chartData(config, kinds, columns), columns, theme, size)), counts, mark);
    }
  });

  it('colour splits lines into series and stacks bars; bins and heatmaps draw every cell', async () => {
    const result: AggregateResult = { columns: ['kind', 'at', 'value'], rows: [['a', 'x', 1], ['a', 'y', 2], ['b', 'x', 3], ['b', 'y', 4], ['c', 'x', 5]] };
    const line: ChartConfig = { ...bar({ color: 'at' }), mark: 'line' };
    const spec = chartSpec(line, chartData(line, result, columns), columns, theme, size);
    assert.equal((await marksDrawn(spec, true)).line, 2, 'one line per colour');
    assert.equal((await marksDrawn(spec)).line, 5, 'through every group');
    assert.deepEqual(await marksDrawn(chartSpec(bar({ color: 'at' }), chartData(bar({ color: 'at' }), result, columns), columns, theme, size)), { rect: 5 });
    const heat: ChartConfig = { ...bar({ color: 'at' }), mark: 'rect' };
    assert.deepEqual(await marksDrawn(chartSpec(heat, chartData(heat, result, columns), columns, theme, size)), { rect: 5 });
    const hist: ChartConfig = { version: 1, mark: 'bar', x: 'value', bin: true, binStep: 5, aggregate: 'count' };
    const bins = chartData(hist, { columns: ['value', 'value'], rows: [[0, 3], [5, 4], [15, 1]] }, columns);
    assert.deepEqual(await marksDrawn(chartSpec(hist, bins, columns, theme, size)), { rect: 3 });
  });

  it('draws every category label when they fit: 24 countries of Chinook\'s invoices, slanted or upright', async () => {
    const countries = ['USA', 'Canada', 'France', 'Brazil', 'Germany', 'United Kingdom', 'Czech Republic', 'Portugal', 'India', 'Chile', 'Ireland', 'Hungary', 'Austria', 'Finland', 'Netherlands', 'Norway', 'Sweden', 'Spain', 'Poland', 'Italy', 'Denmark', 'Belgium', 'Australia', 'Argentina'];
    const result: AggregateResult = { columns: ['kind', 'value'], rows: countries.map((c, i) => [c, i + 1]) };
    const data = chartData(bar(), result, columns);
    for (const width of [1000, 500]) {
      const spec = chartSpec(bar(), data, columns, theme, { width, height: 400 });
      assert.deepEqual(await xLabelsDrawn(spec), countries, `${width} px wide`);
      assert.deepEqual(await marksDrawn(spec), { rect: 24 });
    }
    // Too narrow for even upright labels: vega thins them rather than drawing them over each other.
    const narrow = await xLabelsDrawn(chartSpec(bar(), data, columns, theme, { width: 200, height: 400 }));
    assert.ok(narrow.length < countries.length && narrow.length > 0, `${narrow.length} labels at 200 px`);
  });

  it('uses the theme and the given size, with inline data only', () => {
    const spec = chartSpec(bar(), chartData(bar(), kinds, columns), columns, theme, size) as unknown as {
      width: number; height: number; data: { values?: unknown };
      config: { range: { category: unknown }; axis: { labelColor: string } };
    };
    assert.equal(spec.width, 600);
    assert.equal(spec.height, 400);
    assert.deepEqual(spec.config.range.category, theme.palette);
    assert.equal(spec.config.axis.labelColor, '#ccc');
    assert.ok(Array.isArray(spec.data.values) && !('url' in spec.data));
  });
});

describe('chart view: tab state and filter chips', () => {
  it('keeps the config and the filters (exact operands included) across reloads', () => {
    const filters = [
      { column: 'customer_id', op: 'eq' as const, value: 12345678901234567890n },
      { column: 'kind', op: 'in' as const, value: ['click', 'view'] },
      { column: 'value', op: 'notnull' as const },
    ];
    const saved = JSON.parse(JSON.stringify(saveChartState(bar(), filters)));
    assert.deepEqual(restoreChartState(saved, columns), { config: bar(), filters });
  });

  it('drops what no longer fits: foreign state, filters on dropped columns, malformed operands', () => {
    assert.deepEqual(restoreChartState({ version: 7, config: bar() }, columns), { filters: [] });
    assert.deepEqual(restoreChartState('junk', columns), { filters: [] });
    const state = { version: 1, config: { ...bar(), x: 'dropped' }, filters: [{ column: 'dropped', op: 'eq', value: 1 }, { column: 'value', op: 'gt', value: { $bigint: 'x1' } }, { column: 'kind', op: 'eq', value: 'a' }, 'junk'] };
    assert.deepEqual(restoreChartState(state, columns), { filters: [{ column: 'kind', op: 'eq', value: 'a' }] });
  });

  it('writes filters as chips', () => {
    assert.equal(chipText({ column: 'value', op: 'gte', value: 10 }), 'value ≥ 10');
    assert.equal(chipText({ column: 'kind', op: 'contains', value: 'ref' }), 'kind contains "ref"');
    assert.equal(chipText({ column: 'kind', op: 'in', value: ['a', null] }), 'kind in ("a", NULL)');
    assert.equal(chipText({ column: 'value', op: 'isnull' }), 'value is NULL');
  });
});
