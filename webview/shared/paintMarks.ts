// Marks on the webview's performance timeline for the benchmarks (bench/vscode-open.mjs reads them with
// performance.getEntriesByName, beside Resource Timing): when what the user waits for is on screen. From the view's
// HTML being parsed (its first resource request) to this mark is Nocoflo's own share of opening a tab; VS Code's
// webview start-up comes before. Each mark is set once per document, at the start of the frame after the DOM
// change, i.e. once the change has been painted.
export type PaintMark = 'first-rows' | 'first-chart';

const marked = new Set<PaintMark>();

export function markPainted(name: PaintMark): void {
  if (marked.has(name)) return;
  marked.add(name);
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark(`nocoflo:${name}`)));
}
