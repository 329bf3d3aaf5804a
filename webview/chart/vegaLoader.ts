// Loads the chart's renderer (vegaRenderer.ts, bundled as chart-vega.js next to chart.js) once per page. The
// script is added with this page's nonce, so the Content Security Policy stays nonce-only (no host allow-list
// and no dynamic import(), which a nonce cannot cover). Type imports only: nothing of vega is in chart.js.
import type { Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';

export type EmbedChart = (target: HTMLElement, spec: TopLevelSpec) => Promise<Result>;

export const RENDERER_GLOBAL = 'nocofloChartEmbed';
export const RENDERER_READY = 'nocoflo-chart-renderer';

let loading: Promise<EmbedChart> | undefined;

const loaded = (): EmbedChart | undefined => (globalThis as Record<string, unknown>)[RENDERER_GLOBAL] as EmbedChart | undefined;

/** The renderer, loading its script on the first call; a failed load is reported and may be tried again. */
export function loadRenderer(): Promise<EmbedChart> {
  const ready = loaded();
  if (ready) return Promise.resolve(ready);
  loading ??= new Promise<EmbedChart>((resolve, reject) => {
    const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
    const script = document.createElement('script');
    script.type = 'module';
    script.nonce = nonce;
    script.src = new URL('chart-vega.js', import.meta.url).href;
    const done = () => {
      const embed = loaded();
      if (embed) resolve(embed);
    };
    window.addEventListener(RENDERER_READY, done, { once: true });
    script.addEventListener('error', () => {
      loading = undefined;
      script.remove();
      reject(new Error('The chart renderer (chart-vega.js) could not be loaded.'));
    });
    document.head.append(script);
  });
  return loading;
}
