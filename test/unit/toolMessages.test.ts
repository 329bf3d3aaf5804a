import * as assert from 'node:assert/strict';
import { ToolMessages } from '../../src/host/panels/toolMessages';
import { bare, cancelCommand, type CancelMessage, parseMessage, type RequestOf, type ResponseMessage } from '../../shared/rpc';
import { RequestError, RpcClient } from '../../shared/rpcClient';
import { int, object, str } from '../../shared/validate';

interface EchoRequests {
  echo: { params: { text: string }; result: { text: string } };
  wait: { params: { ms: number }; result: { waited: boolean } };
}
type Command = { type: 'ready' };
type FromEcho = Command | CancelMessage | RequestOf<EchoRequests>;

const TABLE = {
  requests: { echo: object({ text: str(10) }), wait: object({ ms: int(0, 10_000) }) },
  commands: { ready: bare('ready'), cancel: cancelCommand },
};
const parse = (raw: unknown) => parseMessage<FromEcho>(raw, TABLE);

describe('one message parser (shared/rpc)', () => {
  it('accepts requests, commands and cancels that fit the table', () => {
    const echo = { type: 'request', id: 1, method: 'echo', params: { text: 'hi' } };
    assert.deepEqual(parse(echo), { ok: true, message: echo });
    assert.deepEqual(parse({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(parse({ type: 'cancel', id: 4 }), { ok: true, message: { type: 'cancel', id: 4 } });
  });

  it('refuses anything else with the reason, and the id of a request it can answer', () => {
    assert.deepEqual(parse([]), { ok: false, error: 'message must be an object' });
    assert.deepEqual(parse({ type: 'request', id: 2, method: 'drop', params: {} }), { ok: false, error: 'unknown method "drop"', id: 2 });
    assert.deepEqual(parse({ type: 'request', id: 3, method: 'echo', params: { text: 'far too long' } }), {
      ok: false,
      error: 'echo: params.text is longer than 10 characters',
      id: 3,
    });
    assert.deepEqual(parse({ type: 'request', id: 4, method: 'echo', params: { text: 'a' }, sql: 'x' }), { ok: false, error: 'request.sql is not allowed', id: 4 });
    assert.deepEqual(parse({ type: 'request', id: 0, method: 'echo', params: { text: 'a' } }), { ok: false, error: 'id must be between 1 and 9007199254740991' });
    assert.deepEqual(parse({ type: 'ready', extra: 1 }), { ok: false, error: 'ready takes no fields' });
    assert.deepEqual(parse({ type: 'cancel', id: 'x' }), { ok: false, error: 'message.id must be an integer' });
    assert.deepEqual(parse({ type: 'close' }), { ok: false, error: 'unknown message type "close"' });
  });
});

describe('a tool tab answering its requests (ToolMessages)', () => {
  function setup(options: { afterRequest?: () => void } = {}) {
    const sent: ResponseMessage[] = [];
    const warnings: string[] = [];
    const commands: Command[] = [];
    const signals: AbortSignal[] = [];
    const messages = new ToolMessages<EchoRequests, Command>(
      {
        name: 'Echo tab',
        parse,
        handlers: {
          echo: ({ text }) => {
            if (text === 'boom') throw new Error('it broke');
            return { text };
          },
          wait: ({ ms }, signal) => {
            signals.push(signal);
            return new Promise((resolve) => {
              const timer = setTimeout(() => resolve({ waited: true }), ms);
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                resolve({ waited: false });
              });
            });
          },
        },
        command: (message) => {
          commands.push(message);
        },
        ...options,
      },
      (message) => sent.push(message),
      { warn: (m) => warnings.push(m) },
    );
    return { messages, sent, warnings, commands, signals };
  }

  it('answers each request once, by id, and hands commands to the tab', async () => {
    const { messages, sent, commands } = setup();
    await messages.receive({ type: 'request', id: 1, method: 'echo', params: { text: 'hi' } });
    await messages.receive({ type: 'ready' });
    assert.deepEqual(sent, [{ type: 'response', id: 1, ok: true, result: { text: 'hi' } }]);
    assert.deepEqual(commands, [{ type: 'ready' }]);
  });

  it('answers a failure in the one error shape, and a malformed request with invalid_message', async () => {
    const { messages, sent, warnings } = setup();
    await messages.receive({ type: 'request', id: 1, method: 'echo', params: { text: 'boom' } });
    await messages.receive({ type: 'request', id: 2, method: 'echo', params: { text: 7 } });
    await messages.receive({ type: 'nonsense' });
    assert.deepEqual(sent, [
      { type: 'response', id: 1, ok: false, error: { code: 'internal', message: 'it broke' } },
      { type: 'response', id: 2, ok: false, error: { code: 'invalid_message', message: 'echo: params.text must be a string' } },
    ]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]!, /^Echo tab sent a malformed message \(ignored\): unknown message type "nonsense"/);
  });

  it("passes the webview's cancel to the running handler as an abort", async () => {
    const { messages, sent, signals } = setup();
    const running = messages.receive({ type: 'request', id: 5, method: 'wait', params: { ms: 5_000 } });
    await messages.receive({ type: 'cancel', id: 5 });
    await running;
    assert.equal(signals[0]!.aborted, true);
    assert.deepEqual(sent, [{ type: 'response', id: 5, ok: true, result: { waited: false } }]);
  });

  it('aborts what still runs when the tab closes, and runs afterRequest after every response', async () => {
    let after = 0;
    const { messages, signals } = setup({ afterRequest: () => after++ });
    const running = messages.receive({ type: 'request', id: 1, method: 'wait', params: { ms: 5_000 } });
    messages.dispose();
    await running;
    await messages.receive({ type: 'request', id: 2, method: 'echo', params: { text: 'boom' } });
    assert.equal(signals[0]!.aborted, true);
    assert.equal(after, 2);
  });
});

describe("a tool tab's request client (RpcClient over a tool's table)", () => {
  it('keeps the field and the problems the host named on the error', async () => {
    const sent: unknown[] = [];
    const rpc = new RpcClient<EchoRequests>((m) => sent.push(m), 1_000);
    const answer = rpc.request('echo', { text: 'x' });
    assert.deepEqual(sent, [{ type: 'request', id: 1, method: 'echo', params: { text: 'x' } }]);
    rpc.handleResponse({ type: 'response', id: 1, ok: false, error: { code: 'invalid_value', message: 'Host is required.', field: 'host', problems: ['a', 'b'] } });
    await assert.rejects(answer, (e: RequestError) => e instanceof RequestError && e.code === 'invalid_value' && e.field === 'host' && e.problems?.length === 2);
  });

  it('times out and tells the host to stop', async () => {
    const sent: unknown[] = [];
    const rpc = new RpcClient<EchoRequests>((m) => sent.push(m), 20);
    await assert.rejects(rpc.request('wait', { ms: 1 }), (e: RequestError) => e.code === 'timeout');
    assert.deepEqual(sent[1], { type: 'cancel', id: 1 });
  });
});
