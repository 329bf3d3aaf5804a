// The overview of a database file opened from the Explorer (the SQLite custom editor). It talks to the host only
// through the messages in shared/fileOverviewProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../shared/toolPage.css';
import './fileOverview.css';
import { vscodeApi } from '../shared/vscodeApi';
import { FileOverviewApp } from './fileOverviewApp';

const root = document.getElementById('nocoflo-root');
if (root) new FileOverviewApp(vscodeApi(), root);
