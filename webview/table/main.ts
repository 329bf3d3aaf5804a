// The built-in table view's script. It reaches its data only through the view client that Nocoflo loads before
// it (globalThis.nocoflo, api/webview.d.ts), like any third-party view would.
import '../shared/elements';
import '../shared/viewBase.css';
import { startView } from '../shared/startView';
import './table.css';
import { TableApp } from './app';

startView('table', (client, root) => {
  new TableApp(client, root);
});
