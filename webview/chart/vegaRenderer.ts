// The chart's renderer: vega-embed with vega-lite and vega (about nine tenths of the chart's code), in a script of
// its own (dist/webview/chart-vega.js). The chart view asks for its data first and loads this beside it
// (vegaLoader.ts), so parsing vega no longer delays the first request; it hands itself over through a global,
// the one channel two separately bundled scripts of one page share.
//
// vega-embed behind the webview's strict Content Security Policy:
// - `ast: true` with vega's expression interpreter: expressions are interpreted, never compiled with Function().
// - `defaultStyle: false`, and tooltips with `disableDefaultStyle`: both would otherwise add a <style> element,
//   which the policy (style-src without inline permission) blocks. chart.css styles them instead.
// - `actions: false`: the toolbar has our own PNG/SVG export, through the host's save dialog.
// - The SVG renderer sets its few dynamic styles through CSSOM (element.style.setProperty), which the policy
//   allows; its `svg()` method, which does setAttribute('style'), is never called: exports use the headless
//   renderers (toSVG, toCanvas), which build strings and canvases instead of touching the page.
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { RENDERER_GLOBAL, RENDERER_READY, type EmbedChart } from './vegaLoader';

const embedChart: EmbedChart = (target, spec) =>
  embed(target, spec, {
    mode: 'vega-lite',
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    actions: false,
    tooltip: { disableDefaultStyle: true, theme: 'custom' },
    logLevel: 1,
  });

(globalThis as Record<string, unknown>)[RENDERER_GLOBAL] = embedChart;
window.dispatchEvent(new Event(RENDERER_READY));
