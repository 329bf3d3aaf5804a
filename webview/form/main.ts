// The built-in form view's script. Like the table view, it reaches its data only through the view client that
// Nocoflo loads before it (globalThis.nocoflo, api/webview.d.ts).
import type { NocofloWebview } from '../../api/webview';
import '../table/elements';
import './form.css';
import { FormApp } from './app';
import type { FormClient } from './formClient';

const nocoflo = (globalThis as unknown as { nocoflo?: NocofloWebview }).nocoflo;
const root = document.getElementById('nocoflo-root');

if (!nocoflo || !root) {
  document.body.textContent = 'The Nocoflo view client did not load.';
} else {
  nocoflo.connect().then(
    (client) => {
      try {
        // The 1.2 members the form uses are optional; FormClient says which, and every use is guarded.
        new FormApp(client as unknown as FormClient, root);
      } catch (error) {
        client.log('error', `form view failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        root.textContent = `The form view failed to start: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
    // The client already shows why the table could not be opened.
    () => undefined,
  );
}
