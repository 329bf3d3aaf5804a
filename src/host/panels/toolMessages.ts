// Answers one tool tab's messages (connection form, audit log, plugins): each is checked against the tab's table
// first, commands go to the tab, requests to its handler for that method with an AbortSignal that the webview's
// `cancel` (sent on its timeout) reaches, and every request gets exactly one response in the one error shape.
// Free of `vscode` so the whole path is unit-tested in plain Node.
import { errorMessage, type Logger } from '../../core/log';
import { type CancelMessage, errorResponse, okResponse, type ParsedMessage, type RequestOf, type RequestTable, type ResponseMessage, type WireError } from '../../../shared/rpc';

/** One handler per request method; TypeScript checks each against the tab's request table. */
export type RequestHandlers<R extends RequestTable<R>> = {
  [M in keyof R]: (params: R[M]['params'], signal: AbortSignal) => Promise<R[M]['result']> | R[M]['result'];
};

export interface ToolMessagesSpec<R extends RequestTable<R>, C extends { type: string }> {
  /** The tab as the log names it: "Connection form". */
  name: string;
  parse(raw: unknown): ParsedMessage<RequestOf<R> | C | CancelMessage>;
  handlers: RequestHandlers<R>;
  /** A command (`ready`, …); what it throws is the caller's to show (see ToolPanel). */
  command(message: C): Promise<void> | void;
  /** The tab's own errors in the one shape; by default 'internal' with the error's message. */
  toError?(error: unknown, method: keyof R & string): WireError;
  /** Runs after every response (the Plugins tab re-sends its list, so a refused toggle flips back). */
  afterRequest?(): void;
}

export class ToolMessages<R extends RequestTable<R>, C extends { type: string }> {
  private readonly inFlight = new Map<number, AbortController>();

  constructor(
    private readonly spec: ToolMessagesSpec<R, C>,
    private readonly post: (message: ResponseMessage) => void,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  async receive(raw: unknown): Promise<void> {
    const parsed = this.spec.parse(raw);
    if (!parsed.ok) {
      this.log.warn(`${this.spec.name} sent a malformed message (ignored): ${parsed.error}`);
      if (parsed.id !== undefined) this.post(errorResponse(parsed.id, { code: 'invalid_message', message: parsed.error }));
      return;
    }
    const message = parsed.message;
    if (message.type === 'request') await this.answer(message as RequestOf<R>);
    else if (message.type === 'cancel') this.inFlight.get((message as CancelMessage).id)?.abort();
    else await this.spec.command(message as C);
  }

  /** Gives up on every request still running (the tab closed). */
  dispose(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  private async answer(message: RequestOf<R>): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(message.id, controller);
    const handler = this.spec.handlers[message.method] as (params: unknown, signal: AbortSignal) => unknown;
    try {
      this.post(okResponse(message.id, await handler(message.params, controller.signal)));
    } catch (error) {
      this.post(errorResponse(message.id, this.spec.toError?.(error, message.method) ?? internalError(error)));
    } finally {
      this.inFlight.delete(message.id);
    }
    this.spec.afterRequest?.();
  }
}

export const internalError = (error: unknown): WireError => ({ code: 'internal', message: errorMessage(error) });
