// The webview half of a tool tab (connection form, audit log, plugins): the views' request client
// (shared/rpcClient: numbered requests, timeouts that cancel on the host, AbortSignals) over the tool's own request
// table, fed the host's responses; everything else the host sends goes to the app.
import { RpcClient } from '../../shared/rpcClient';
import type { RequestTable, ResponseMessage } from '../../shared/rpc';

export { RequestError } from '../../shared/rpcClient';

export interface ToolHost {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Starts talking to the host: listens, then says `ready`; the host answers with the tab's first notification. */
export function startToolClient<R extends RequestTable<R>, N extends { type: string }>(host: ToolHost, onNotification: (message: N) => void): RpcClient<R> {
  const rpc = new RpcClient<R>((message) => host.postMessage(message));
  window.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as N | ResponseMessage;
    if (message.type === 'response') rpc.handleResponse(message as ResponseMessage);
    else onNotification(message as N);
  });
  host.postMessage({ type: 'ready' });
  return rpc;
}
