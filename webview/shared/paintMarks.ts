// Marks on the webview's performance timeline for the benchmarks (bench/vscode-open.mjs reads them with
// performance.getEntriesByName): the time from this webview document starting (performance.timeOrigin) to what the
// user waits for, on screen. That is Nocoflo's own share of opening a tab; VS Code's webview start-up comes before
// the document exists. Each mark is set once per document, at the start of the frame after the DOM change, i.e.
// once the change has been painted.
export type PaintMark = 'first-rows' | 'first-chart';

const marked = new Set<PaintMark>();

export function markPainted(name: PaintMark): void {
  if (marked.has(name)) return;
  marked.add(name);
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark(`nocoflo:${name}`)));
}
