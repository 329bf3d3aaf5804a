// The webview half of a tool tab's requests (connection form, audit log, plugins): numbered requests to the host,
// answered by `response` messages. Errors keep the host's code and whatever else it said (the field, problems).

/** What one tool's requests take and give, by method name. */
export type ToolRequests<R> = { [M in keyof R]: { params: unknown; result: unknown } };

export interface ToolError extends Error {
  code: string;
  field?: string;
}

export interface ToolHost {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

type Response = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: { code: string; message: string } };

export class ToolClient<R extends ToolRequests<R>> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: ToolError): void }>();

  constructor(private readonly host: ToolHost) {}

  request<M extends keyof R & string>(method: M, params: R[M]['params']): Promise<R[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.host.postMessage({ type: 'request', id, method, params });
    });
  }

  /** Settles the request a response answers; false for anything that is not a response to a waiting request. */
  handle(message: { type: string }): boolean {
    if (message.type !== 'response') return false;
    const response = message as Response;
    const waiting = this.waiting.get(response.id);
    if (!waiting) return false;
    this.waiting.delete(response.id);
    if (response.ok) waiting.resolve(response.result);
    // Whatever else the host said about the error (the field, a list of problems) stays on it.
    else waiting.reject(Object.assign(new Error(response.error.message), response.error));
    return true;
  }
}
