// Over 400 lines (465) and still one file: the estimate-then-exact pipeline (draw generations, abort signals,
// remembered answers, the sample page) and the drawing and notes of its answers share that one state; the pure
// parts (requests, data shaping, specs, state) are already in model/.
import type { AggregateResult, AggregateSample, ColumnSchema, Filter, RowPage } from '../../api';
import type { NocofloViewClient } from '../../api/webview';
import { codicon, throttle, el, iconButton, setDisabled } from '../shared/dom';
import { markPainted } from '../shared/paintMarks';
import { ChartBuilder } from './builder';
import { ChartView, readTheme } from './chartView';
import { autoChartCandidates, fillRequest, rankByFill } from './model/autoChart';
import { type ChartConfig, describeConfig, validateConfig } from './model/chartConfig';
import { type ChartData, chartData } from './model/chartData';
import { chartRequest, type ChartRequest, ESTIMATE_ROWS, extentRequest, MAX_GROUPS, niceStep, readExtent, usesColor } from './model/chartQuery';
import { chartSpec } from './model/chartSpec';
import { restoreChartState, saveChartState, validFilters } from './model/chartState';
import { chipText } from './model/filterChips';
import { aggregateSample, SAMPLE_ROWS } from './model/sampleAggregate';

interface Drawn {
  config: ChartConfig;
  data: ChartData;
  binStep?: number;
  truncated: boolean;
  /** Set when the chart was aggregated here from a sample of rows. */
  sample?: { rows: number; complete: boolean };
  /** Set while the chart shows the datasource's estimate from a sample (a big table), not yet the exact answer. */
  estimate?: Estimate;
}

/** An estimate on screen: exact values on their way, stopped by the user, or failed. */
interface Estimate {
  sample: AggregateSample;
  state: 'computing' | 'stopped' | 'failed';
  error?: string;
}

/** One aggregate answer, by the query it answered (see queryKey). */
interface Answer {
  key: string;
  result: AggregateResult;
  binStep?: number;
  sample?: Drawn['sample'];
  /** The user stopped the exact answer of this estimate: showing it again does not start it again. */
  stopped?: boolean;
}

/** Answers kept, so going back to an earlier chart (or just changing the mark) asks nothing again. */
const REMEMBERED_ANSWERS = 16;

const isCancellation = (error: unknown): boolean =>
  (error instanceof DOMException && error.name === 'AbortError') || (error as { code?: unknown } | null)?.code === 'cancelled';

/**
 * The chart view: a builder over a chart of the table, aggregated by the datasource (only one row per group
 * reaches the webview). Everything goes through `client` (api/webview.d.ts), the door a third-party view uses.
 */
export class ChartApp {
  private readonly columns: readonly ColumnSchema[];
  private config: ChartConfig | undefined;
  private filters: Filter[];
  private readonly search: string | undefined;
  private readonly builder: ChartBuilder;
  private readonly chart: ChartView;
  private readonly chips: HTMLDivElement;
  private readonly notes: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly exports: { png: HTMLElement; svg: HTMLElement };
  private drawn: Drawn | undefined;
  /** The status line of the chart on screen, shown again when a later draw fails and the chart stays. */
  private readyText = '';
  private sample: { key: string; page: Promise<RowPage>; abort: AbortController } | undefined;
  /** Recent answers, oldest first. */
  private readonly answers = new Map<string, Answer>();
  private abort: AbortController | undefined;
  private generation = 0;
  private readonly persist = throttle(250, () => this.saveState());

  constructor(
    private readonly client: NocofloViewClient,
    root: HTMLElement,
  ) {
    const init = client.init;
    this.columns = init.schema.columns;
    const restored = restoreChartState(client.getState(), this.columns);
    const query = init.query;
    // The query handed over (from the view the user switched from, or this tab's last one) is the latest word on
    // the filters; the tab's own state is the fallback.
    this.filters = query?.filters ? validFilters(query.filters, this.columns) : restored.filters;
    this.search = query?.search?.text.trim() || undefined;
    this.config = restored.config ?? validateConfig(init.viewConfig, this.columns);

    root.classList.add('view-app', 'chart-app');
    this.builder = new ChartBuilder(this.columns, (config) => this.setConfig(config));
    const toolbar = el('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    const actions = el('div', 'toolbar-group toolbar-end');
    const canSave = typeof client.saveFile === 'function';
    this.exports = {
      png: iconButton(canSave ? 'Export as PNG…' : 'Export needs Nocoflo 1.2 (save dialog)', 'file-media', () => void this.export('png')),
      svg: iconButton(canSave ? 'Export as SVG…' : 'Export needs Nocoflo 1.2 (save dialog)', 'file-code', () => void this.export('svg')),
    };
    this.exports.png.classList.add('export-png');
    this.exports.svg.classList.add('export-svg');
    actions.append(iconButton('Refresh (aggregate again)', 'refresh', () => this.refresh()), this.exports.png, this.exports.svg);
    toolbar.append(this.builder.element, actions);
    this.chips = el('div', 'filter-chips');
    this.chips.setAttribute('aria-label', 'Filters applied to the chart');
    this.notes = el('div', 'chart-notes');
    this.notes.setAttribute('role', 'status');
    const host = el('div', 'chart-host');
    host.setAttribute('data-state', 'loading');
    this.chart = new ChartView(host);
    const statusBar = el('div', 'status-bar');
    this.status = el('span', 'status-text');
    statusBar.append(this.status);
    root.replaceChildren(toolbar, this.chips, this.notes, host, statusBar);

    this.renderChips();
    this.updateExports();
    client.onRefresh(() => this.refresh());
    client.onTheme(() => void this.redraw());
    window.addEventListener('beforeunload', () => this.persist.flush());
    if (this.config) {
      this.builder.set(this.config);
      // The host forgets view configs on a window reload; tell it the restored one, so "Set as Default View"
      // stores this chart even before the next change.
      client.setViewConfig?.(this.config);
      void this.draw();
    } else void this.autoChart();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Config and filters
  // ------------------------------------------------------------------------------------------------------------

  private setConfig(config: ChartConfig): void {
    this.config = config;
    this.configChanged();
    void this.draw();
  }

  private configChanged(): void {
    this.persist();
    // The chart config is the view config: "Set as Default View for This Table" stores the latest one.
    if (this.config) this.client.setViewConfig?.(this.config);
  }

  private removeFilter(index: number): void {
    this.filters = this.filters.filter((_, i) => i !== index);
    this.renderChips();
    this.persist();
    void this.draw();
  }

  private renderChips(): void {
    const chips = this.filters.map((filter, index) => {
      const chip = el('span', 'filter-chip');
      chip.append(codicon('filter'), el('span', 'chip-text', chipText(filter)));
      const remove = iconButton(`Remove filter ${chipText(filter)}`, 'close', () => this.removeFilter(index));
      remove.classList.add('chip-remove');
      chip.append(remove);
      return chip;
    });
    this.chips.replaceChildren(...chips);
    this.chips.hidden = chips.length === 0;
  }

  private saveState(): void {
    this.client.setState(saveChartState(this.config, this.filters));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Reading and drawing
  // ------------------------------------------------------------------------------------------------------------

  /** The aggregate the datasource computes, or the same one computed here over a sample when it cannot. */
  private async aggregate(request: ChartRequest, signal: AbortSignal, estimate = false): Promise<{ result: AggregateResult; sample?: Drawn['sample'] }> {
    if (this.client.init.capabilities.aggregate) return { result: await this.client.aggregate({ ...request, ...(estimate ? { sample: { rows: ESTIMATE_ROWS } } : {}), signal }) };
    const page = await this.samplePage();
    const { filters: _applied, ...rest } = request;
    return { result: aggregateSample(page.columns, page.rows, rest), sample: { rows: page.rows.length, complete: page.next === undefined && page.rows.length < SAMPLE_ROWS } };
  }

  /**
   * The sample, read once per set of filters: builder changes re-aggregate the rows already here instead of asking
   * a datasource that cannot aggregate (often an API, page by page) again. Refresh reads it anew.
   */
  private samplePage(): Promise<RowPage> {
    const key = JSON.stringify(saveChartState(undefined, this.filters).filters);
    if (this.sample?.key !== key) {
      // Shared by every draw until the filters change, so no single draw's signal may cancel it; a newer sample
      // cancels the one it replaces.
      this.sample?.abort.abort();
      const abort = new AbortController();
      const page = this.client.readRows({ limit: SAMPLE_ROWS, ...(this.filters.length > 0 ? { filters: this.filters } : {}), signal: abort.signal });
      this.sample = { key, page, abort };
      // A failed or cancelled read is not kept: the next draw tries again.
      page.catch(() => {
        if (this.sample?.page === page) this.sample = undefined;
      });
    }
    return this.sample.page;
  }

  /** The data may have changed: forget the sample and aggregate again. */
  private refresh(): void {
    this.sample?.abort.abort();
    this.sample = undefined;
    this.answers.clear();
    void this.draw();
  }

  private async binStep(config: ChartConfig, signal: AbortSignal, estimate: boolean): Promise<number | undefined> {
    if (!config.bin || config.binStep !== undefined) return undefined;
    const { result } = await this.aggregate(extentRequest(config, this.filters), signal, estimate);
    const extent = readExtent(result);
    const integer = this.columns.find((c) => c.name === config.x)?.kind === 'integer';
    return extent ? niceStep(extent.min, extent.max, undefined, integer) : 1;
  }

  private begin(): { signal: AbortSignal; generation: number } {
    this.abort?.abort();
    this.abort = new AbortController();
    this.setState('loading', 'Aggregating…');
    return { signal: this.abort.signal, generation: ++this.generation };
  }

  /** Tries the automatic candidates, most filled first; the first whose group count fits becomes the chart. */
  private async autoChart(): Promise<void> {
    const { signal, generation } = this.begin();
    try {
      const candidates = autoChartCandidates(this.client.init.schema);
      // One count of rows and of each candidate's values first, so mostly-NULL columns are passed over.
      const probe = fillRequest(candidates, this.filters);
      const fill = probe ? (await this.aggregate(probe, signal, true)).result : undefined;
      if (generation !== this.generation) return;
      for (const candidate of rankByFill(candidates, fill)) {
        // Candidates are judged on estimates where the table is big: a sample shows whether the groups fit.
        const answer = await this.compute(candidate.config, signal, true, undefined, candidate.maxGroups ?? MAX_GROUPS);
        if (generation !== this.generation) return;
        if (answer.result.truncated && candidate.maxGroups !== undefined) continue;
        this.config = candidate.config;
        this.builder.set(candidate.config);
        this.configChanged();
        // Not truncated at its small limit, so this is every group: later looks at it need no new query.
        await this.settle(candidate.config, answer, signal, generation, candidate.maxGroups ?? MAX_GROUPS);
        return;
      }
      this.setState('error', 'This table has no numeric column to chart.');
    } catch (error) {
      if (generation === this.generation) this.failed(error);
    }
  }

  private async draw(): Promise<void> {
    const config = this.config;
    if (!config) return void this.autoChart();
    const { signal, generation } = this.begin();
    try {
      // Only the look changed (the mark, say), or the user came back to an earlier chart: no new query.
      const known = this.answers.get(queryKey(config, this.filters));
      const answer = known ?? (await this.compute(config, signal, true));
      if (generation !== this.generation) return;
      await this.settle(config, answer, signal, generation);
    } catch (error) {
      if (generation === this.generation) this.failed(error);
    }
  }

  /** Asks for one chart's groups: the bin step first where it is automatic, then the aggregate. */
  private async compute(config: ChartConfig, signal: AbortSignal, estimate: boolean, binStep?: number, limit = MAX_GROUPS): Promise<Answer> {
    const step = binStep ?? (await this.binStep(config, signal, estimate));
    const { result, sample } = await this.aggregate(chartRequest(config, this.filters, step, limit), signal, estimate);
    return { key: queryKey(config, this.filters), result, binStep: step, sample };
  }

  /**
   * Shows an answer. An estimate (a big table answered from a sample) is drawn at once and then replaced by the
   * exact answer, unless the user stops that; the exact query keeps the estimate's bin step, so the bars do not
   * change width when it arrives.
   */
  private async settle(config: ChartConfig, answer: Answer, signal: AbortSignal, generation: number, limit = MAX_GROUPS): Promise<void> {
    this.remember(answer);
    const sample = answer.result.sample;
    if (!sample) return this.showAnswer(config, answer, generation);
    await this.showAnswer(config, answer, generation, { sample, state: answer.stopped ? 'stopped' : 'computing' });
    if (answer.stopped || generation !== this.generation) return;
    try {
      const exact = await this.compute(config, signal, false, answer.binStep, limit);
      if (generation !== this.generation) return;
      this.remember(exact);
      await this.showAnswer(config, exact, generation);
    } catch (error) {
      // Stopped by the user (who already sees it said) or superseded by a newer chart.
      if (generation !== this.generation || isCancellation(error)) return;
      const message = error instanceof Error ? error.message : String(error);
      this.client.log('warn', `exact chart values failed: ${message}`);
      await this.showAnswer(config, answer, generation, { sample, state: 'failed', error: message });
    }
  }

  /** Stop: the estimate stays on screen, and showing this chart again later does not start the exact query again. */
  private stopExact(): void {
    const drawn = this.drawn;
    if (!drawn?.estimate || drawn.estimate.state !== 'computing') return;
    this.abort?.abort();
    const answer = this.answers.get(queryKey(drawn.config, this.filters));
    if (answer) answer.stopped = true;
    this.drawn = { ...drawn, estimate: { ...drawn.estimate, state: 'stopped' } };
    this.renderNotes(this.drawn);
    this.markEstimate(this.drawn);
  }

  /** Compute exact values (after Stop, or again after a failure): the estimate stays until they arrive. */
  private computeExact(): void {
    const drawn = this.drawn;
    if (!drawn?.estimate) return;
    const answer = this.answers.get(queryKey(drawn.config, this.filters));
    if (!answer) return void this.draw();
    delete answer.stopped;
    this.abort?.abort();
    this.abort = new AbortController();
    const generation = ++this.generation;
    void this.settle(drawn.config, answer, this.abort.signal, generation);
  }

  private remember(answer: Answer): void {
    this.answers.delete(answer.key);
    this.answers.set(answer.key, answer);
    for (const key of this.answers.keys()) {
      if (this.answers.size <= REMEMBERED_ANSWERS) break;
      this.answers.delete(key);
    }
  }

  private showAnswer(config: ChartConfig, answer: Answer, generation: number, estimate?: Estimate): Promise<void> {
    const { result, binStep, sample } = answer;
    return this.show({ config, data: chartData(config, result, this.columns, binStep), binStep, truncated: result.truncated === true, sample, ...(estimate ? { estimate } : {}) }, generation);
  }

  /** Draws the last data again (the theme changed): no new query. */
  private async redraw(): Promise<void> {
    if (this.drawn) await this.show(this.drawn, this.generation);
  }

  private async show(drawn: Drawn, generation: number): Promise<void> {
    // Notes first: they take room from the chart, which is sized to what is left.
    this.renderNotes(drawn);
    const spec = chartSpec(drawn.config, drawn.data, this.columns, readTheme(), this.chart.size());
    const shown = await this.chart.show(spec);
    if (!shown || generation !== this.generation) return;
    this.drawn = drawn;
    const host = this.chart.element;
    host.setAttribute('data-datum-count', String(drawn.data.values.length));
    host.setAttribute('data-mark', drawn.config.mark);
    const groups = drawn.data.values.length;
    const source = drawn.sample ? 'aggregated in this view' : drawn.estimate ? 'estimated from a sample' : 'aggregated by the datasource';
    this.readyText = `${describeConfig(drawn.config)} · ${groups.toLocaleString('en-US')} ${groups === 1 ? 'group' : 'groups'} · ${source}`;
    this.setState('ready', this.readyText);
    markPainted('first-chart');
    if (groups === 0) host.setAttribute('data-empty', '');
    else host.removeAttribute('data-empty');
    this.markEstimate(drawn);
    this.updateExports();
  }

  /** `data-estimate` on the chart: computing, stopped or failed while an estimate is shown; absent when exact. */
  private markEstimate(drawn: Drawn): void {
    if (drawn.estimate) this.chart.element.setAttribute('data-estimate', drawn.estimate.state);
    else this.chart.element.removeAttribute('data-estimate');
  }

  private renderNotes(drawn: Drawn | undefined, error?: string): void {
    const notes: HTMLElement[] = [];
    const note = (kind: 'info' | 'warning' | 'error', icon: string, text: string, className: string) => {
      const line = el('div', `chart-note ${kind} ${className}`);
      line.append(codicon(icon), el('span', 'note-text', text));
      notes.push(line);
      return line;
    };
    if (error) {
      const line = note('error', 'error', error, 'note-error');
      const retry = document.createElement('vscode-button');
      retry.setAttribute('secondary', '');
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => void this.draw());
      line.append(retry);
    }
    if (drawn?.sample) {
      note(
        'warning',
        'warning',
        drawn.sample.complete
          ? `This datasource cannot aggregate: the chart is computed here from all ${drawn.sample.rows.toLocaleString('en-US')} rows.`
          : `This datasource cannot aggregate: the chart shows a sample, the first ${drawn.sample.rows.toLocaleString('en-US')} rows, aggregated here.`,
        'note-sample',
      );
    }
    if (drawn?.estimate) {
      const { sample, state, error: failure } = drawn.estimate;
      const share = sample.fraction * 100;
      const about = `Estimated from a sample of ${sample.rows.toLocaleString('en-US')} rows (${share < 1 ? share.toPrecision(2) : Math.round(share)}% of the table, ${sample.method}): counts and sums are scaled up, means and extremes are the sample's.`;
      const line =
        state === 'computing'
          ? note('info', 'loading', `${about} Computing exact values…`, 'note-estimate')
          : state === 'stopped'
            ? note('info', 'info', `${about} Exact values were not computed.`, 'note-estimate')
            : note('warning', 'warning', `${about} Exact values failed: ${failure ?? 'unknown error'}`, 'note-estimate');
      const action = document.createElement('vscode-button');
      action.setAttribute('secondary', '');
      action.classList.add(state === 'computing' ? 'estimate-stop' : 'estimate-exact');
      action.textContent = state === 'computing' ? 'Stop' : state === 'stopped' ? 'Compute Exact Values' : 'Retry';
      action.addEventListener('click', () => (state === 'computing' ? this.stopExact() : this.computeExact()));
      line.append(action);
    }
    if (drawn?.truncated) note('warning', 'warning', `Only the first ${drawn.data.values.length.toLocaleString('en-US')} groups are shown; the table has more. Bin the x axis, use a coarser time unit or filter.`, 'note-truncated');
    if (drawn && drawn.data.nullX > 0) note('info', 'info', `${drawn.data.nullX} ${drawn.data.nullX === 1 ? 'group' : 'groups'} with NULL ${drawn.config.x} not shown on the numeric axis.`, 'note-null');
    if (drawn && drawn.data.values.length === 0) note('info', 'info', this.filters.length > 0 ? 'No rows match the filters.' : 'This table has no rows to chart.', 'note-empty');
    if (this.search) note('info', 'info', `The search "${this.search}" is not applied: charts are aggregated with column filters only.`, 'note-search');
    this.notes.replaceChildren(...notes);
    this.notes.hidden = notes.length === 0;
  }

  private failed(error: unknown): void {
    if (isCancellation(error)) return;
    const message = error instanceof Error ? error.message : String(error);
    this.client.log('warn', `chart failed: ${message}`);
    // The last chart stays on screen; the builder keeps the choice, so Retry (or another choice) loses nothing.
    this.setState(this.chart.hasChart ? 'ready' : 'error', this.chart.hasChart ? this.readyText : 'No chart.');
    this.renderNotes(undefined, `Could not draw the chart: ${message}`);
  }

  private setState(state: 'loading' | 'ready' | 'error', text: string): void {
    this.chart.element.setAttribute('data-state', state);
    this.status.textContent = text;
  }

  private updateExports(): void {
    const canSave = typeof this.client.saveFile === 'function';
    setDisabled(this.exports.png, !canSave || !this.chart.hasChart);
    setDisabled(this.exports.svg, !canSave || !this.chart.hasChart);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Export
  // ------------------------------------------------------------------------------------------------------------

  private async export(format: 'png' | 'svg'): Promise<void> {
    if (!this.client.saveFile || !this.chart.hasChart) return;
    const { background } = readTheme();
    try {
      const data = format === 'png' ? await this.chart.toPng(background) : await this.chart.toSvg(background);
      const name = `${this.client.init.displayName.table} chart.${format}`;
      await this.client.saveFile({ suggestedName: name, filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] }, data });
    } catch (error) {
      this.renderNotes(this.drawn, `Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** What decides the groups and their values; the mark (bar or line, say) does not. */
function queryKey(config: ChartConfig, filters: readonly Filter[]): string {
  const { x, bin, binStep, timeUnit, aggregate, y } = config;
  return JSON.stringify({ x, bin, binStep, timeUnit, aggregate, y, color: usesColor(config) ? config.color : undefined, filters: saveChartState(undefined, filters).filters });
}
