import type { Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartTheme } from './model/chartSpec';
import { loadRenderer } from './vegaLoader';

// The chart on the page. Drawing needs vega, which loads beside the first data request (vegaLoader.ts); how it is
// configured behind the strict Content Security Policy is in vegaRenderer.ts.

export class ChartView {
  private result: Result | undefined;
  private generation = 0;

  private readonly resizes: ResizeObserver;

  constructor(readonly element: HTMLElement) {
    // The chart fits its element: when the element changes size (window, notes, chips), so does the chart.
    let frame = 0;
    this.resizes = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const view = this.result?.view;
        const { width, height } = this.size();
        if (view && (view.width() !== width || view.height() !== height)) void view.width(width).height(height).runAsync();
      });
    });
    this.resizes.observe(element);
    // Start loading vega now, while the view asks for its first data; a failure shows when a chart is drawn.
    loadRenderer().catch(() => undefined);
  }

  /** The size a chart gets: its element's, in whole pixels. */
  size(): { width: number; height: number } {
    return { width: Math.max(50, Math.floor(this.element.clientWidth)), height: Math.max(50, Math.floor(this.element.clientHeight)) };
  }

  /** Draws `spec`, replacing the previous chart. Resolves when it is rendered (or superseded by a newer call). */
  async show(spec: TopLevelSpec): Promise<boolean> {
    const generation = ++this.generation;
    // The new chart is laid out in the page (vega sizes a "container" chart from its element), on top of the old
    // one, which goes once the new one is drawn: no blank flash between two charts.
    const target = document.createElement('div');
    target.className = 'chart-canvas';
    this.element.append(target);
    let result: Result;
    try {
      const embed = await loadRenderer();
      result = await embed(target, spec);
    } catch (error) {
      target.remove();
      throw error;
    }
    if (generation !== this.generation) {
      result.finalize();
      target.remove();
      return false;
    }
    this.result?.finalize();
    this.result = result;
    this.element.replaceChildren(target);
    return true;
  }

  clear(): void {
    this.generation++;
    this.result?.finalize();
    this.result = undefined;
    this.element.replaceChildren();
  }

  get hasChart(): boolean {
    return this.result !== undefined;
  }

  /** The chart as an SVG document, on `background` so it reads outside VS Code's theme too. */
  async toSvg(background: string): Promise<string> {
    return this.withBackground(background, (view) => view.toSVG());
  }

  /** The chart as PNG bytes at twice its size on screen. */
  async toPng(background: string): Promise<Uint8Array> {
    const canvas = await this.withBackground(background, (view) => view.toCanvas(2));
    const url = canvas.toDataURL('image/png');
    const binary = atob(url.slice(url.indexOf(',') + 1));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  private async withBackground<T>(background: string, work: (view: Result['view']) => Promise<T>): Promise<T> {
    const view = this.result?.view;
    if (!view) throw new Error('There is no chart to export yet.');
    const previous = view.background();
    view.background(background);
    try {
      return await work(view);
    } finally {
      view.background(previous);
    }
  }
}

/** VS Code's theme, read from the --vscode-* variables the webview gets, in the shape the spec builder takes. */
export function readTheme(): ChartTheme & { background: string } {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const palette = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'].map((c) => v(`--vscode-charts-${c}`, '')).filter((c) => c !== '');
  return {
    foreground: v('--vscode-foreground', '#616161'),
    muted: v('--vscode-descriptionForeground', '#717171'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#c8c8c8')),
    font: v('--vscode-font-family', 'sans-serif'),
    fontSize: Number.parseFloat(v('--vscode-font-size', '12')) || 12,
    // VS Code's six chart colours, then Tableau's for charts with more series than that.
    palette: [...palette, '#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'],
    background: v('--vscode-editor-background', '#ffffff'),
  };
}
