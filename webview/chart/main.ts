// The built-in chart view's script. It reaches its data only through the view client that Nocoflo loads before
// it (globalThis.nocoflo, api/webview.d.ts), like any third-party view would.
import './elements';
import '../shared/viewBase.css';
import { startView } from '../shared/startView';
import './chart.css';
import { ChartApp } from './app';

startView('chart', (client, root) => {
  new ChartApp(client, root);
});
