// Nocoflo's view client: loaded before every view script (built-in or third-party). It performs the ready
// handshake, owns the message channel, and installs `globalThis.nocoflo` (see api/webview.d.ts).
import type { RowKey } from '../../api';
import type { NocofloViewClient, NocofloWebview, RowLockInfo, ViewQuery, ViewThemeKind } from '../../api/webview';
import { rowKeyFromText } from '../../shared/rowLocks';
import { assertNever, type ToWebviewMessage, type WireError } from '../../shared/protocol';
import { decodeQuery } from '../../shared/protocolCodec';
import { decodeRecord } from '../../shared/values';
import { RpcClient, toRequestError } from '../../shared/rpcClient';
import { createViewClient, Listeners } from './client';
import { vscodeApi } from '../shared/vscodeApi';

const api = vscodeApi();
const post = (message: unknown) => api.postMessage(message);
const rpc = new RpcClient(post);
const refresh = new Listeners<'saved' | 'external'>();
const theme = new Listeners<ViewThemeKind>();
const focus = new Listeners<{ key?: RowKey; query?: ViewQuery }>();
const lockListeners = new Listeners<RowLockInfo[]>();
let latestLocks: RowLockInfo[] = [];
const locks = { latest: () => latestLocks, listeners: lockListeners };
const reportListenerError = (error: unknown) => post({ type: 'log', level: 'error', message: `view listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });

let settle: { resolve(client: NocofloViewClient): void; reject(error: Error): void } | undefined;
const connected = new Promise<NocofloViewClient>((resolve, reject) => {
  settle = { resolve, reject };
});
// A view that never calls connect() must not produce an unhandled rejection when opening fails.
connected.catch(() => undefined);

function showFailure(error: WireError): void {
  const root = document.getElementById('nocoflo-root') ?? document.body;
  const box = document.createElement('div');
  box.className = 'nocoflo-failure';
  box.setAttribute('role', 'alert');
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-error';
  const text = document.createElement('span');
  text.textContent = ` ${error.message}`;
  box.append(icon, text);
  root.replaceChildren(box);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as ToWebviewMessage;
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
  switch (message.type) {
    case 'response':
      rpc.handleResponse(message);
      return;
    case 'init':
      if (settle) {
        settle.resolve(createViewClient(message.init, { rpc, post, getState: () => api.getState(), setState: (s) => api.setState(s), refresh, theme, focus, locks }));
        settle = undefined;
      }
      return;
    case 'failed':
      showFailure(message.error);
      settle?.reject(toRequestError(message.error));
      settle = undefined;
      return;
    case 'refresh':
      refresh.fire(message.reason, reportListenerError);
      return;
    case 'theme':
      theme.fire(message.kind, reportListenerError);
      return;
    case 'focus':
      focus.fire({ ...(message.key ? { key: decodeRecord(message.key) } : {}), ...(message.query ? { query: decodeQuery(message.query) } : {}) }, reportListenerError);
      return;
    case 'locks':
      try {
        latestLocks = message.locks.map((l) => ({ key: rowKeyFromText(l.rowKey), owner: l.owner, since: l.since, mine: l.mine }));
      } catch (error) {
        reportListenerError(error);
        return;
      }
      lockListeners.fire(latestLocks, reportListenerError);
      return;
    default:
      assertNever(message, 'message from the host');
  }
});

const nocoflo: NocofloWebview = Object.freeze({ apiVersion: '1.7.0', connect: () => connected });
Object.defineProperty(globalThis, 'nocoflo', { value: nocoflo, enumerable: false, configurable: false, writable: false });
post({ type: 'ready' });
