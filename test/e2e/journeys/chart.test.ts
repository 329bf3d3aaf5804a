// The chart view as a user meets it, in a real VS Code: "Open as…" → Chart on a table with numbers draws an
// automatic first chart (bars of a few categories), with one mark per group as the database counts them; changing
// the builder (x over time, by hour) redraws with the new number of marks; nothing is blocked by the webview's
// Content Security Policy along the way; export as SVG and PNG; a grid filter comes along as a chip; a REST API
// (which cannot aggregate) is charted from a sample with a note saying so; a 3M-row table is drawn first from the
// datasource's sampled estimate, with a note, then from its exact answer; Chinook's invoices are charted by
// country (not by the half-NULL state column before it), with a label for each of the 24 countries. Expected
// numbers come from the data itself (Python's sqlite3 on the fixture file, the REST server's own records).
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, FrameLocator } from 'playwright-core';
import { repoRoot, startCodeServer, type CodeServer } from '../../support/codeServer';
import { makeFixtureWorkspace } from '../../support/fixtures';
import { startRestServer, type RestServer } from '../../support/servers/restServer';
import { Workbench } from '../../support/workbench';
import { addDatasourceByUrl, journeyCleanup, sqlite } from '../../support/journeys';

/** Rows of the big table: a sample of 100,000 first, the exact answer after it. */
const BIG_ROWS = 1_000_000;

describe('journey: a chart of a table', function () {
  let server: CodeServer;
  let rest: RestServer;
  let workbench: Workbench;
  let db: string;
  let workspace: string;
  /** The file that holds exact aggregates while it exists (NOCOFLO_TEST_EXACT_AGGREGATE_GATE). */
  let gate: string;
  let view: FrameLocator;
  /** Messages the workbench page and its frames logged about the Content Security Policy, with where from. */
  const cspMessages: { text: string; url: string }[] = [];

  const host = () => view.locator('.chart-host');
  /** Bars as vega's SVG renderer draws them: one path per bar in the rect mark's group. */
  const bars = () => view.locator('.chart-host svg g.mark-rect.role-mark path');
  /** The chart's webview document, for what only code inside it can see (securitypolicyviolation events). */
  async function chartFrame(): Promise<Frame> {
    for (let tries = 0; tries < 100; tries++) {
      for (const frame of workbench.page.frames()) {
        if (await frame.locator('.chart-app').count().catch(() => 0)) return frame;
      }
      await workbench.page.waitForTimeout(100);
    }
    throw new Error('the chart webview did not appear');
  }
  /** "Open as…" → Chart from the table's context menu in the sidebar. */
  async function openAsChart(table: string): Promise<void> {
    await workbench.treeContextMenu(new RegExp(`^${table}$`), /^Open as/);
    await workbench.answerQuickInput('Chart', 'Open table as…');
  }
  async function choose(control: string, option: string): Promise<void> {
    const select = view.locator(`[data-control="${control}"]`);
    await select.click();
    await select.getByRole('option', { name: option, exact: true }).click();
  }

  before(async function () {
    rest = await startRestServer();
    // A REST API declared in workspace settings, next to the SQLite file added by URL below.
    const endpoints = [{ name: 'items', path: '/page/items', recordsPath: 'data', idField: 'id', pagination: { style: 'page', pageSize: 50 } }];
    workspace = await makeFixtureWorkspace(mkdtempSync(path.join(tmpdir(), 'nocoflo-chart-')), {
      settings: { 'nocoflo.connections': [{ name: 'Test API', type: 'https', config: { baseUrl: rest.baseUrl, endpoints } }] },
    });
    db = path.join(workspace, 'shop.sqlite');
    // A table big enough to be charted from a sample first (twice the view's 100,000-row estimate and more). Its exact
    // aggregate is held at the gate (src/host/testHooks/exactAggregateGate.ts) while the journey looks at the estimate.
    sqlite(db, 'CREATE TABLE readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, reading REAL NOT NULL)');
    sqlite(db, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${BIG_ROWS}) INSERT INTO readings SELECT i, 'sensor ' || (i % 4), (i * 7919) % 1000 / 10.0 FROM s`);
    gate = path.join(workspace, 'exact-aggregates.hold');
    server = await startCodeServer({ workspace, extensions: [path.join(repoRoot(), 'dist/nocoflo.vsix')], env: { NOCOFLO_TEST_EXACT_AGGREGATE_GATE: gate } });
    workbench = await Workbench.open(server);
    workbench.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspMessages.push({ text: message.text(), url: message.location().url });
    });
    await addDatasourceByUrl(workbench, db, 'Shop');
    await workbench.treeItem('Shop').click();
    await workbench.treeItem('events').waitFor();
  });

  journeyCleanup('chart', () => ({ workbench, server, services: [rest] }));
  // A step that fails while exact aggregates are held must not hold the next steps' charts.
  afterEach(() => {
    if (gate) rmSync(gate, { force: true });
  });

  it('opens "Open as…" → Chart with an automatic bar chart: the mean of value per kind, one bar per kind', async () => {
    await openAsChart('events');
    await workbench.page.locator('.tab', { hasText: 'events — Shop' }).waitFor();
    view = workbench.webview();
    const frame = await chartFrame();
    // From here on, anything the policy blocks in the chart's document is recorded.
    await frame.evaluate(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const [[kinds]] = sqlite(db, 'select count(distinct kind) from events') as number[][];
    assert.ok(kinds > 1, 'the fixture has several kinds of events');
    await view.locator(`.chart-host[data-state="ready"][data-mark="bar"][data-datum-count="${kinds}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), kinds);
    assert.match((await view.locator('.status-text').textContent()) ?? '', new RegExp(`^Mean of value by kind · ${kinds} groups · aggregated by the datasource`));
    // The builder shows the automatic choice.
    assert.equal(await view.locator('[data-control="x"]').evaluate((s) => (s as HTMLElement & { value: string }).value), 'kind');
    assert.equal(await view.locator('[data-control="aggregate"]').evaluate((s) => (s as HTMLElement & { value: string }).value), 'mean');
    // A tooltip on hover (vega-tooltip, styled by chart.css instead of its own inline stylesheet).
    await bars().first().hover();
    await view.locator('#vg-tooltip-element.visible').waitFor();
    await workbench.screenshot('chart-auto');
  });

  it('changing x to a datetime by hour redraws with one bar per hour that has values', async () => {
    await choose('x', 'at');
    // A datetime x starts by month: the fixture's events span a few days of one month.
    const [[months]] = sqlite(db, "select count(distinct strftime('%Y-%m', at)) from events") as number[][];
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${months}"]`).waitFor({ timeout: 60_000 });
    await choose('timeUnit', 'hour');
    const [[hours]] = sqlite(db, "select count(distinct strftime('%Y-%m-%d %H', at)) from events") as number[][];
    // An hour whose values are all NULL has a group but no bar (its mean is NULL).
    const [[drawn]] = sqlite(db, "select count(*) from (select 1 from events group by strftime('%Y-%m-%d %H', at) having count(value) > 0)") as number[][];
    assert.ok(hours > months, 'more hours than months');
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${hours}"]`).waitFor({ timeout: 60_000 });
    await bars().nth(drawn - 1).waitFor();
    assert.equal(await bars().count(), drawn);
    assert.match((await view.locator('.status-text').textContent()) ?? '', new RegExp(`^Mean of value by at \\(hour\\) · ${hours} groups`));
    await workbench.screenshot('chart-by-hour');
  });

  it('a histogram: binning a number counts rows per bin, as the database does', async () => {
    await choose('x', 'value');
    await view.locator('[data-control="bin"]').click();
    await choose('aggregate', 'Count');
    // The automatic step for value (0 to 100): 5, about 20 bins.
    const [[lo, hi]] = sqlite(db, 'select min(value), max(value) from events') as number[][];
    assert.ok(lo >= 0 && hi <= 100 && hi - lo > 50, `value spans ${lo}..${hi}`);
    const [[bins]] = sqlite(db, 'select count(distinct cast(value / 5 as integer)) from events where value is not null') as number[][];
    await view.locator('.status-text', { hasText: /^Count of rows by value \(binned\)/ }).waitFor({ timeout: 60_000 });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${bins}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), bins);
    // NULL values form a group of their own, which a numeric axis cannot show: the view says so.
    await view.locator('.note-null', { hasText: 'NULL value not shown' }).waitFor();
    // A step that is not a number above 0 is refused with the reason, and the chart stays as it was.
    const step = view.locator('.bin-step input');
    await step.fill('-3');
    await step.press('Enter');
    await view.locator('.builder-problem', { hasText: 'A bin step is a number above 0.' }).waitFor();
    assert.equal(await host().getAttribute('data-datum-count'), String(bins));
    assert.equal(await bars().count(), bins);
    // Your own step: bins of 10.
    await step.fill('10');
    await step.press('Enter');
    const [[tens]] = sqlite(db, 'select count(distinct cast(value / 10 as integer)) from events where value is not null') as number[][];
    assert.notEqual(tens, bins);
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${tens}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), tens);
    assert.equal(await view.locator('.builder-problem').textContent(), '');
  });

  it('exports the chart as SVG and PNG through the save dialog', async () => {
    for (const format of ['svg', 'png'] as const) {
      const file = path.join(workspace, `events chart.${format}`);
      await view.locator(`.export-${format}`).click();
      // VS Code's own save dialog, offering the workspace folder and the chart's name.
      const input = workbench.page.locator('.quick-input-widget input');
      await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: `Save events chart.${format}` }).waitFor();
      // The dialog fills in its path as it reads the folder.
      for (let tries = 0; (await input.inputValue()) !== file; tries++) {
        assert.ok(tries < 100, `the dialog offers ${await input.inputValue()}, not ${file}`);
        await workbench.page.waitForTimeout(100);
      }
      await workbench.page.keyboard.press('Enter');
      await workbench.notification(`Saved ${file}.`).waitFor();
      assert.ok(existsSync(file), `${file} was written`);
      const bytes = readFileSync(file);
      if (format === 'svg') {
        const svg = bytes.toString('utf8');
        assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.ok(svg.includes('value (binned)'), 'the axis title is in the image');
      } else assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    }
  });

  it('nothing in the chart webview was blocked by its Content Security Policy', async () => {
    const frame = await chartFrame();
    const violations = await frame.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    assert.deepEqual(violations, []);
    assert.deepEqual(cspMessages.filter((m) => m.url.includes(frame.url()) || /chart\.js/.test(m.url)), []);
  });

  it('a filter set in the grid comes along to the chart as a chip; removing it charts every row again', async () => {
    await workbench.runCommand('View: Close All Editors');
    await workbench.page.locator('.tab', { hasText: 'events — Shop' }).waitFor({ state: 'detached' });
    await workbench.treeItem('events').click();
    await workbench.page.locator('.tab', { hasText: 'events — Shop' }).waitFor();
    view = workbench.webview();
    await view.locator('.grid-row .cell').first().waitFor({ timeout: 60_000 });
    // The filter button adds a filter on the selected column: a text column starts with "contains".
    const kindIndex = (await view.locator('.header-cell .header-label').allTextContents()).indexOf('kind');
    await view.locator('.grid-row[aria-rowindex="2"] .cell').nth(kindIndex).click();
    await view.locator('vscode-toolbar-button[icon="filter"]').click();
    await view.locator('.filter-row .filter-column', { hasText: 'kind' }).waitFor();
    const operand = view.locator('.filter-row .filter-value input').first();
    await operand.fill('c');
    await operand.press('Enter');
    const [[matching]] = sqlite(db, "select count(*) from events where kind like '%c%'") as number[][];
    await view.locator('.status-count', { hasText: `${matching.toLocaleString('en-US')} rows` }).waitFor();

    await workbench.runCommand('Nocoflo: Switch View…');
    await workbench.answerQuickInput('Chart', 'Switch view of events');
    const [[kinds]] = sqlite(db, "select count(distinct kind) from events where kind like '%c%'") as number[][];
    const [[all]] = sqlite(db, 'select count(distinct kind) from events') as number[][];
    assert.ok(kinds > 0 && kinds < all, `the filter keeps ${kinds} of ${all} kinds`);
    await view.locator('.filter-chip', { hasText: 'kind contains "c"' }).waitFor({ timeout: 60_000 });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${kinds}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), kinds);
    await workbench.screenshot('chart-filtered');
    await view.locator('.filter-chip .chip-remove').click();
    await view.locator('.filter-chip').waitFor({ state: 'detached' });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${all}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), all);
  });

  it('a big table charts at once from a sample, says so, and the exact values replace the estimate (or not, after Stop)', async () => {
    await workbench.runCommand('View: Close All Editors');
    // Exact aggregates wait until the gate file is removed: the estimate stays on screen as long as the steps need.
    writeFileSync(gate, '');
    await openAsChart('readings');
    await workbench.page.locator('.tab', { hasText: 'readings — Shop' }).waitFor();
    view = workbench.webview();
    const [[sensors]] = sqlite(db, 'select count(distinct sensor) from readings') as number[][];
    // The estimate is on screen while the exact values are computed.
    await view.locator(`.chart-host[data-estimate="computing"][data-datum-count="${sensors}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), sensors);
    const note = view.locator('.note-estimate');
    assert.match(
      (await note.textContent()) ?? '',
      /^Estimated from a sample of [\d,]+ rows \(\d+% of the table, 10,000 windows of \d+ rowids\): counts and sums are scaled up, means and extremes are the sample's\. Computing exact values…/,
    );
    assert.match((await view.locator('.status-text').textContent()) ?? '', new RegExp(`^Mean of reading by sensor · ${sensors} groups · estimated from a sample$`));
    await workbench.screenshot('chart-estimate');
    // Stop: the estimate stays, and says the exact values were not computed.
    await note.locator('.estimate-stop').click();
    await view.locator('.chart-host[data-estimate="stopped"]').waitFor();
    await view.locator('.note-estimate', { hasText: 'Exact values were not computed.' }).waitFor();
    assert.equal(await bars().count(), sensors);
    // Changing only the mark redraws the same estimate without starting the exact query again.
    await choose('mark', 'Line');
    await view.locator('.chart-host[data-mark="line"][data-estimate="stopped"]').waitFor({ timeout: 60_000 });
    await choose('mark', 'Bar');
    await view.locator('.chart-host[data-mark="bar"][data-estimate="stopped"]').waitFor({ timeout: 60_000 });
    // Compute Exact Values: the datasource's exact answer replaces the estimate and the note goes.
    await view.locator('.note-estimate .estimate-exact', { hasText: 'Compute Exact Values' }).click();
    await view.locator('.chart-host[data-estimate="computing"]').waitFor();
    rmSync(gate, { force: true });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${sensors}"]:not([data-estimate])`).waitFor({ timeout: 120_000 });
    await view.locator('.note-estimate').waitFor({ state: 'detached' });
    assert.match((await view.locator('.status-text').textContent()) ?? '', new RegExp(`^Mean of reading by sensor · ${sensors} groups · aggregated by the datasource$`));
    assert.equal(await bars().count(), sensors);
    await workbench.screenshot('chart-estimate-replaced');
  });

  it('charts a REST API, which cannot aggregate, from a sample aggregated in the view, and says so', async () => {
    const items = [...rest.items.values()];
    await workbench.treeItem('Test API').click();
    await openAsChart('items');
    await workbench.page.locator('.tab', { hasText: 'items — Test API' }).waitFor();
    view = workbench.webview();
    // The first chart: the boolean column's groups (an automatic candidate before any text column).
    const groups = new Set(items.map((item) => item.active)).size;
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${groups}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('[data-control="x"]').evaluate((s) => (s as HTMLElement & { value: string }).value), 'active');
    assert.equal(await bars().count(), groups);
    await view.locator('.note-sample', { hasText: `This datasource cannot aggregate: the chart is computed here from all ${items.length} rows.` }).waitFor();
    assert.match((await view.locator('.status-text').textContent()) ?? '', /aggregated in this view$/);
    // Counting by qty (an integer, one bar per value) from the same sample.
    await choose('x', 'qty');
    await choose('aggregate', 'Count');
    const values = new Set(items.map((item) => item.qty)).size;
    await view.locator('.status-text', { hasText: /^Count of rows by qty/ }).waitFor({ timeout: 60_000 });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${values}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await bars().count(), values);
    await workbench.screenshot('chart-rest-sample');
  });

  it('keeps its chart across a window reload, and "Set as Default View" opens the table with that chart', async () => {
    const values = new Set([...rest.items.values()].map((item) => item.qty)).size;
    // "Developer: Reload Window" shuts the window down properly, which is when VS Code stores the webviews' latest
    // state (a bare page reload can lose the last seconds of it).
    const reloaded = workbench.page.waitForEvent('load', { timeout: 60_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await workbench.page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await workbench.page.locator('.tab', { hasText: 'items — Test API' }).click({ timeout: 60_000 });
    view = workbench.webview();
    await view.locator('.status-text', { hasText: /^Count of rows by qty/ }).waitFor({ timeout: 60_000 });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${values}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('[data-control="x"]').evaluate((s) => (s as HTMLElement & { value: string }).value), 'qty');

    await workbench.runCommand('Nocoflo: Set as Default View for This Table');
    await workbench.notification('items now opens in the Chart view with its current configuration').waitFor();
    await workbench.runCommand('View: Close All Editors');
    await workbench.page.locator('.tab', { hasText: 'items — Test API' }).waitFor({ state: 'detached' });
    // The reload collapsed the tree.
    if (!(await workbench.treeItem(/^items$/).isVisible())) await workbench.treeItem('Test API').click();
    await workbench.treeItem(/^items$/).click();
    await workbench.page.locator('.tab', { hasText: 'items — Test API' }).waitFor();
    view = workbench.webview();
    // Not the automatic chart (by active): the stored one.
    await view.locator('.status-text', { hasText: /^Count of rows by qty/ }).waitFor({ timeout: 60_000 });
    await view.locator(`.chart-host[data-state="ready"][data-datum-count="${values}"]`).waitFor({ timeout: 60_000 });
  });

  it('charts Chinook\'s invoices by country, not by the half-NULL state, with every country labelled', async () => {
    const chinook = path.join(workspace, 'chinook.sqlite');
    copyFileSync(path.join(repoRoot(), 'test/fixtures/datasets/chinook/Chinook_Sqlite.sqlite'), chinook);
    const [[countries, rows, states]] = sqlite(chinook, 'select count(distinct BillingCountry), count(*), count(BillingState) from Invoice') as number[][];
    assert.ok(states < rows && states * 2 >= rows - 10, 'BillingState, a column before BillingCountry with few groups, is NULL in about half the invoices');
    await addDatasourceByUrl(workbench, chinook, 'Chinook');
    await workbench.treeItem('Chinook').click();
    await workbench.treeItem(/^Invoice$/).waitFor();
    await openAsChart('Invoice');
    await workbench.page.locator('.tab', { hasText: 'Invoice — Chinook' }).waitFor();
    view = workbench.webview();
    await view.locator(`.chart-host[data-state="ready"][data-mark="bar"][data-datum-count="${countries}"]`).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('[data-control="x"]').evaluate((s) => (s as HTMLElement & { value: string }).value), 'BillingCountry');
    assert.equal(await bars().count(), countries);
    // vega hides a label that overlaps another by making it transparent; every country's label is drawn.
    const names = (sqlite(chinook, 'select distinct BillingCountry from Invoice') as string[][]).map(([c]) => c);
    const xLabels = view.locator('.chart-host svg g.role-axis').filter({ has: view.locator('g.role-axis-title text', { hasText: 'BillingCountry' }) }).locator('g.role-axis-label text');
    const drawn = await xLabels.evaluateAll((texts) => texts.filter((t) => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0').map((t) => t.textContent));
    assert.deepEqual([...drawn].sort(), [...names].sort());
    await workbench.screenshot('chart-chinook-countries');
  });
});
