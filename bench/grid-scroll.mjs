#!/usr/bin/env node
// Scrolling benchmark of the table view at 10 million rows in headless Chromium (bench/grid-harness.mjs serves
// the real dist/webview bundles behind the real CSP). Measures time to first rows, frame times while wheel
// scrolling, scrollbar jumps to the middle and the end, DOM size, and how pages were fetched (keyset cursor vs
// offset). Needs `node esbuild.mjs` first and a Chromium (CHROMIUM=/path, default /usr/bin/chromium).
//
//   node bench/grid-scroll.mjs [--rows 10000000] [--screenshot test-results/grid-bench.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { startHarness } from './grid-harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rows = Number(option('--rows', 10_000_000));
const screenshot = option('--screenshot', 'test-results/grid-bench.png');

const harness = await startHarness();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const result = { rows };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/favicon|404/.test(m.text()) && errors.push(m.text()));
  const started = Date.now();
  await page.goto(`${harness.url}?rows=${rows}`);
  await page.waitForFunction(() => document.querySelector('.grid-row:not(.loading) .cell')?.textContent !== undefined && document.querySelectorAll('.grid-row:not(.loading)').length > 10);
  result.firstRowsMs = Date.now() - started;
  await page.waitForFunction(() => /rows/.test(document.querySelector('.status-count')?.textContent ?? ''));
  result.countText = await page.textContent('.status-count');

  // Wheel scrolling: 200 steps of 100 px, frame times recorded in the page.
  await page.mouse.move(700, 450);
  await page.evaluate(() => {
    const frames = [];
    let last = performance.now();
    const tick = (t) => {
      frames.push(t - last);
      last = t;
      if (!window.stopFrames) requestAnimationFrame(tick);
    };
    window.frames_ = frames;
    requestAnimationFrame(tick);
  });
  const wheelStart = Date.now();
  for (let i = 0; i < 200; i++) await page.mouse.wheel(0, 100);
  result.wheelMs = Date.now() - wheelStart;
  const frames = await page.evaluate(() => {
    window.stopFrames = true;
    return window.frames_;
  });
  frames.sort((a, b) => a - b);
  result.wheelFrames = { count: frames.length, p50: round(frames[Math.floor(frames.length / 2)]), p95: round(frames[Math.floor(frames.length * 0.95)]), max: round(frames.at(-1)) };
  result.afterWheelFirstRow = await firstRowLabel(page);

  // Scrollbar jump to the middle, then to the very end.
  for (const [name, fraction] of [['jumpMiddle', 0.5], ['jumpEnd', 1]]) {
    const before = await firstRowLabel(page);
    const t = Date.now();
    await page.evaluate((f) => {
      const s = document.querySelector('.grid-scroller');
      s.scrollTop = (s.scrollHeight - s.clientHeight) * f;
    }, fraction);
    await page.waitForFunction(
      (previous) => {
        const labels = [...document.querySelectorAll('.grid-row .row-number')].map((n) => Number(n.textContent));
        return document.querySelectorAll('.grid-row.loading').length === 0 && labels.length > 10 && Math.min(...labels) !== previous;
      },
      before,
    );
    result[name] = { ms: Date.now() - t, firstRow: await firstRowLabel(page), lastRow: await lastRowLabel(page) };
  }
  result.spacerHeight = await page.evaluate(() => document.querySelector('.grid-spacer').getBoundingClientRect().height);
  result.domNodes = await page.evaluate(() => document.querySelector('.grid').querySelectorAll('*').length);
  // Sequential scrolling after a jump continues with keyset cursors.
  await page.evaluate(() => {
    const s = document.querySelector('.grid-scroller');
    s.scrollTop = (s.scrollHeight - s.clientHeight) * 0.3;
  });
  await page.waitForFunction(() => document.querySelectorAll('.grid-row.loading').length === 0 && Number(document.querySelector('.grid-row .row-number')?.textContent) > 1000);
  // Keyboard paging moves the selection, so start it where the jump landed.
  await page.mouse.click(400, 300);
  result.pageDownFrom = await firstRowLabel(page);
  for (let i = 0; i < 150; i++) await page.keyboard.press('PageDown');
  await page.waitForFunction(() => document.querySelectorAll('.grid-row.loading').length === 0);
  result.afterPageDown = await firstRowLabel(page);
  result.fetches = await page.evaluate(() => ({ reads: window.harness.reads, cursor: window.harness.cursorReads, offset: window.harness.offsetReads }));
  result.cspViolations = await page.evaluate(() => window.harness.violations);
  // Webview memory after all the scrolling: the page's JS heap after a forced GC, and the whole renderer's.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  result.jsHeapUsedMB = Math.round(metrics.JSHeapUsedSize / 2 ** 20);
  result.jsHeapTotalMB = Math.round(metrics.JSHeapTotalSize / 2 ** 20);
  result.pageErrors = errors;
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  result.screenshot = screenshot;
} finally {
  await browser.close();
  await harness.close();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/grid-scroll.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));

function round(n) {
  return Math.round(n * 10) / 10;
}

async function firstRowLabel(page) {
  return page.evaluate(() => {
    const labels = [...document.querySelectorAll('.grid-row .row-number')].map((n) => Number(n.textContent)).filter((n) => n > 0);
    return Math.min(...labels);
  });
}

async function lastRowLabel(page) {
  return page.evaluate(() => Math.max(...[...document.querySelectorAll('.grid-row .row-number')].map((n) => Number(n.textContent))));
}
