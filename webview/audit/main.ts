// The Audit Log view's script. It talks to the host only through the messages in shared/auditProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '../shared/toolPage.css';
import './audit.css';
import { vscodeApi } from '../shared/vscodeApi';
import { AuditApp } from './auditApp';

const root = document.getElementById('nocoflo-root');
if (root) new AuditApp(vscodeApi(), root);
