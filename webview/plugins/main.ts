// The Plugins view's script (Nocoflo: Manage Plugins…). It talks to the host only through the messages in
// shared/pluginsProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '../shared/toolPage.css';
import './plugins.css';
import { vscodeApi } from '../shared/vscodeApi';
import { PluginsApp } from './pluginsApp';

const root = document.getElementById('nocoflo-root');
if (root) new PluginsApp(vscodeApi(), root);
