// The webview half of request/response, for views and tool tabs alike: numbered requests, one pending promise per
// id, a timeout that also cancels the work on the host, and AbortSignal support. DOM-free so it is unit-tested in
// plain Node.
import type { RequestMap } from './protocol';
import type { RequestTable, ResponseMessage, WireError } from './rpc';

export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: string,
    message: string,
    /** The form field or column the host named, if any. */
    readonly field?: string,
    /** Every problem the host found, if it listed them. */
    readonly problems?: string[],
  ) {
    super(message);
  }
}

interface Waiting {
  resolve(result: unknown): void;
  reject(error: RequestError): void;
  timer: ReturnType<typeof setTimeout>;
  cleanup(): void;
}

export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class RpcClient<R extends RequestTable<R> = RequestMap> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly post: (message: unknown) => void,
    private readonly defaultTimeoutMs = 120_000,
  ) {}

  request<M extends keyof R & string>(method: M, params: R[M]['params'], options: RequestOptions = {}): Promise<R[M]['result']> {
    if (options.signal?.aborted) return Promise.reject(new RequestError('cancelled', 'The request was cancelled.'));
    const id = this.nextId++;
    return new Promise<R[M]['result']>((resolve, reject) => {
      const onAbort = () => this.fail(id, new RequestError('cancelled', 'The request was cancelled.'), true);
      const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
      const timer = setTimeout(() => this.fail(id, new RequestError('timeout', `${method} did not answer within ${Math.round(timeoutMs / 1000)} s.`), true), timeoutMs);
      this.waiting.set(id, {
        resolve: resolve as (result: unknown) => void,
        reject,
        timer,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.post({ type: 'request', id, method, params });
    });
  }

  /** Feeds a response from the host; responses to unknown (timed-out, cancelled) ids are ignored. */
  handleResponse(message: ResponseMessage): void {
    const waiting = this.take(message.id);
    if (!waiting) return;
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(toRequestError(message.error));
  }

  get pendingCount(): number {
    return this.waiting.size;
  }

  private fail(id: number, error: RequestError, cancelOnHost: boolean): void {
    const waiting = this.take(id);
    if (!waiting) return;
    if (cancelOnHost) this.post({ type: 'cancel', id });
    waiting.reject(error);
  }

  private take(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    if (!waiting) return undefined;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    waiting.cleanup();
    return waiting;
  }
}

export const toRequestError = (error: WireError): RequestError => new RequestError(error.code, error.message, error.field, error.problems);
