// The built-in form view's script. Like the table view, it reaches its data only through the view client that
// Nocoflo loads before it (globalThis.nocoflo, api/webview.d.ts).
import '../shared/elements';
import '../shared/viewBase.css';
import { startView } from '../shared/startView';
import './form.css';
import { FormApp } from './app';
import type { FormClient } from './formClient';

startView('form', (client, root) => {
  // The 1.2 members the form uses are optional; FormClient says which, and every use is guarded.
  new FormApp(client as unknown as FormClient, root);
});
