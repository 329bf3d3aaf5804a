import type { TopLevelSpec } from 'vega-lite';
import type { ColumnSchema } from '../../../api';
import { AGGREGATE_LABELS, type ChartConfig } from './chartConfig';
import type { ChartData } from './chartData';
import { usesColor } from './chartQuery';
import { xType } from './chartData';

// Builder state plus aggregated data → one vega-lite spec. The data is inline (no URLs: the webview's policy
// allows no fetches, and there is nothing to fetch), and the look comes from VS Code's theme through `theme`.
// The size is given in pixels rather than as "container": vega follows a container only on window resizes, while
// the chart's element also changes size when notes or filter chips come and go (ChartView resizes the view then).

export interface ChartTheme {
  foreground: string;
  /** Axis lines and ticks. */
  muted: string;
  grid: string;
  font: string;
  fontSize: number;
  /** Colours of series, VS Code's chart palette first. */
  palette: string[];
}

export function measureTitle(config: ChartConfig): string {
  return config.aggregate === 'count' ? 'Count of rows' : `${AGGREGATE_LABELS[config.aggregate]} of ${config.y}`;
}

function xTitle(config: ChartConfig): string {
  if (config.bin) return `${config.x} (binned)`;
  if (config.timeUnit) return `${config.x} (${config.timeUnit})`;
  return config.x;
}

type Encoding = Record<string, unknown>;

/** Room the y axis (its labels and title) takes from the width, roughly: the bands share the rest. */
const Y_AXIS_ROOM = 70;
const SLANT = 40;

/**
 * Every category gets its label when the labels can fit. vega's overlap check compares axis-aligned boxes, which
 * for slanted text are far wider than the text, so with `labelOverlap` it hid every other label of 24 countries
 * that fitted side by side. Labels are slanted (easiest to read) while a band is wide enough for slanted text,
 * vertical while it is wide enough for upright text, and only thinned by vega when not even that fits. Long
 * labels are cut to a share of the height (the tooltip has them whole) so the bars keep most of it.
 */
export function categoryAxis(categories: number, fontSize: number, size: { width: number; height: number }): Record<string, unknown> {
  const band = Math.max(1, size.width - Y_AXIS_ROOM) / Math.max(1, categories);
  const labelLimit = Math.max(40, Math.min(160, Math.floor(size.height / 3)));
  if (band >= fontSize / Math.sin((SLANT * Math.PI) / 180) + 2) return { labelAngle: -SLANT, labelOverlap: false, labelLimit };
  if (band >= fontSize + 2) return { labelAngle: -90, labelOverlap: false, labelLimit };
  return { labelAngle: -90, labelOverlap: true, labelLimit };
}

/** `size` is the element's size in px: the chart fits it whole, axes and legend included. */
export function chartSpec(config: ChartConfig, data: ChartData, columns: readonly ColumnSchema[], theme: ChartTheme, size: { width: number; height: number }): TopLevelSpec {
  const xColumn = columns.find((c) => c.name === config.x);
  const measure = measureTitle(config);
  const color = usesColor(config);
  const valueField = { field: 'value', type: 'quantitative', title: measure };
  const tooltip: Encoding[] = [{ field: 'x', title: xTitle(config) }];
  if (color) tooltip.push({ field: 'color', title: config.color });
  tooltip.push({ field: 'value', title: measure, format: ',.6~g' });

  const type = xType(config, xColumn);
  const x: Encoding = { field: 'x', type, title: xTitle(config) };
  if (config.bin) x.bin = { binned: true };
  // Categories keep the database's order (it sorted the groups), not vega's re-sort of their labels.
  if (type !== 'quantitative') {
    x.sort = null;
    x.axis = categoryAxis(new Set(data.values.map((d) => d.x)).size, theme.fontSize, size);
  }
  const drawsBins = config.bin && (config.mark === 'bar' || config.mark === 'rect');

  let mark: Record<string, unknown>;
  let encoding: Encoding;
  switch (config.mark) {
    case 'arc':
      mark = { type: 'arc', tooltip: true };
      // Numeric slices (bins) in numeric order; categories in the database's order.
      encoding = {
        theta: valueField,
        color: { field: 'x', type: type === 'quantitative' ? 'ordinal' : type, title: xTitle(config), sort: type === 'quantitative' ? 'ascending' : null },
        ...(type === 'quantitative' ? { order: { field: 'x', sort: 'ascending' } } : {}),
      };
      break;
    case 'rect':
      mark = { type: 'rect', tooltip: true };
      encoding = { x: type === 'quantitative' && !drawsBins ? { ...x, type: 'ordinal' } : x, color: valueField };
      if (drawsBins) encoding.x2 = { field: 'x2' };
      if (color) encoding.y = { field: 'color', type: 'nominal', title: config.color, sort: null };
      break;
    default:
      mark = { type: config.mark, tooltip: true, ...(config.mark === 'point' ? { filled: true } : {}), ...(config.mark === 'line' ? { point: data.values.length <= 60 } : {}) };
      // Counts are whole: no ticks at 0.2 rows.
      encoding = { x, y: config.aggregate === 'count' ? { ...valueField, axis: { tickMinStep: 1 } } : valueField };
      if (drawsBins) encoding.x2 = { field: 'x2' };
      if (color) encoding.color = { field: 'color', type: 'nominal', title: config.color, sort: null };
  }
  encoding.tooltip = tooltip;

  const axis = {
    labelColor: theme.foreground,
    titleColor: theme.foreground,
    gridColor: theme.grid,
    domainColor: theme.muted,
    tickColor: theme.muted,
    labelFont: theme.font,
    titleFont: theme.font,
    labelFontSize: theme.fontSize,
    titleFontSize: theme.fontSize,
    labelLimit: 160,
  };
  return {
    data: { values: data.values },
    mark,
    encoding,
    width: Math.max(50, Math.floor(size.width)),
    height: Math.max(50, Math.floor(size.height)),
    // resize: lay out again after the first pass measured the axes, so the chart fits exactly.
    autosize: { type: 'fit', contains: 'padding', resize: true },
    background: 'transparent',
    config: {
      font: theme.font,
      view: { stroke: null },
      axis,
      legend: { labelColor: theme.foreground, titleColor: theme.foreground, labelFont: theme.font, titleFont: theme.font, labelFontSize: theme.fontSize, titleFontSize: theme.fontSize },
      range: { category: theme.palette },
      mark: { color: theme.palette[0] },
      arc: { stroke: null },
    },
    // Built loosely above (vega-lite's encoding types are a union per channel and mark); the unit tests compile
    // every mark's spec with vega-lite and run it in vega, which is the check that matters.
  } as unknown as TopLevelSpec;
}
