// The connection form's script (Add / Edit Connection). It talks to the host only through the messages in
// shared/connectionForm.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '../shared/toolPage.css';
import './connection.css';
import { vscodeApi } from '../shared/vscodeApi';
import { ConnectionFormApp } from './formApp';

const root = document.getElementById('nocoflo-root');
if (root) new ConnectionFormApp(vscodeApi(), root);
