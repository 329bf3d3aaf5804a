// The built-in chart view's script. It reaches its data only through the view client that Nocoflo loads before
// it (globalThis.nocoflo, api/webview.d.ts), like any third-party view would.
import type { NocofloWebview } from '../../api/webview';
import './elements';
import './chart.css';
import { ChartApp } from './app';

const nocoflo = (globalThis as unknown as { nocoflo?: NocofloWebview }).nocoflo;
const root = document.getElementById('nocoflo-root');

if (!nocoflo || !root) {
  document.body.textContent = 'The Nocoflo view client did not load.';
} else {
  nocoflo.connect().then(
    (client) => {
      try {
        new ChartApp(client, root);
      } catch (error) {
        client.log('error', `chart view failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        root.textContent = `The chart view failed to start: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
    // The client already shows why the table could not be opened.
    () => undefined,
  );
}
