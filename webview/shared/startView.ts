// How a built-in view's script starts: connect to the view client Nocoflo loaded before it (globalThis.nocoflo,
// api/webview.d.ts), as any third-party view does, and build the app; a view that throws while starting says so
// in the tab and in Nocoflo's log instead of leaving an empty page.
import type { NocofloViewClient, NocofloWebview } from '../../api/webview';

export function startView(name: string, start: (client: NocofloViewClient, root: HTMLElement) => void): void {
  const nocoflo = (globalThis as unknown as { nocoflo?: NocofloWebview }).nocoflo;
  const root = document.getElementById('nocoflo-root');
  if (!nocoflo || !root) {
    document.body.textContent = 'The Nocoflo view client did not load.';
    return;
  }
  // For the benchmarks' breakdown of an open (paintMarks.ts): this script ran, then the host's answer came.
  performance.mark('nocoflo:view-script');
  nocoflo.connect().then(
    (client) => {
      performance.mark('nocoflo:connected');
      try {
        start(client, root);
      } catch (error) {
        client.log('error', `${name} view failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        root.textContent = `The ${name} view failed to start: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
    // The client already shows why the table could not be opened.
    () => undefined,
  );
}
