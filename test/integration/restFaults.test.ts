// The REST datasource when things go wrong, against the real test API on 127.0.0.1: authentication (bearer,
// basic, API key) right and wrong, 429 with Retry-After (retried, or given up when the wait is too long),
// timeouts and cancellation, the concurrency cap (the server counts requests in flight), bodies that are not
// JSON, HTML pages, 401/403/404/500, bodies over the size cap, redirects and next links to other sites, records
// of mixed shapes or without ids, and malformed endpoint configs. No secret may appear in any message or log line.
import * as assert from 'node:assert/strict';
import type { DatasourceConfig, DatasourceContext, DatasourceError, DatasourceSession } from '../../api';
import { createRestDatasource } from '../../plugins/rest';
import { MAX_JSON_DEPTH } from '../../plugins/rest/jsonDepth';
import { freePort } from '../support/servers/lifecycle';
import { startRestServer, type RestServer } from '../support/servers/restServer';

const isCode = (code: string, message?: RegExp) => (e: DatasourceError) => {
  assert.equal(e.code, code, `expected a ${code} error, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.message, message);
  return true;
};

describe('REST datasource: faults, limits and credentials', function () {
  this.timeout(60_000);
  let server: RestServer;
  const logs: string[] = [];
  const messages: string[] = [];
  const context: DatasourceContext = { workspaceFolders: [], log: (level, message) => logs.push(`${level}: ${message}`) };
  const plugin = createRestDatasource();
  const sessions: DatasourceSession[] = [];

  /** A session over one endpoint (path relative to /v1), with extra config. */
  async function open(path: string, extra: DatasourceConfig = {}, secrets: Record<string, string> = {}, endpoint: Record<string, unknown> = {}): Promise<DatasourceSession> {
    const session = await plugin.connect({ baseUrl: server.baseUrl, endpoints: JSON.stringify([{ name: 't', path, ...endpoint }]), ...extra }, secrets, context);
    sessions.push(session);
    return session;
  }
  /** The error reading the endpoint fails with (kept for the secrets check at the end). */
  async function failure(session: DatasourceSession, read: (s: DatasourceSession) => Promise<unknown> = (s) => s.readRows({ name: 't' }, { limit: 10 })): Promise<DatasourceError> {
    try {
      await read(session);
    } catch (error) {
      messages.push((error as Error).message);
      return error as DatasourceError;
    }
    assert.fail('expected the read to fail');
  }

  before(async () => {
    server = await startRestServer();
  });
  beforeEach(() => server.resetStats());
  after(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await server?.stop();
  });

  describe('authentication', () => {
    it('bearer: the token is sent as Authorization; a wrong one is an auth error that does not show it', async () => {
      const ok = await open('/bearer/items', { auth: 'bearer' }, { token: server.token });
      assert.equal((await ok.readRows({ name: 't' }, { limit: 50 })).rows.length, 10);
      assert.equal(server.requests[0]?.headers.authorization, `Bearer ${server.token}`);
      const wrong = await open('/bearer/items', { auth: 'bearer' }, { token: `${server.token}-old` });
      const e = await failure(wrong);
      isCode('auth', /refused the credentials for GET \/v1\/bearer\/items \(401 Unauthorized\)\. Check the authentication settings/)(e);
      assert.ok(!e.message.includes(server.token));
      await assert.rejects(open('/bearer/items', { auth: 'bearer' }, {}), isCode('auth', /no token is stored/));
    });

    it('basic: user and password; a wrong password is an auth error', async () => {
      const ok = await open('/basic/items', { auth: 'basic', username: server.username }, { password: server.password });
      assert.equal((await ok.readRows({ name: 't' }, { limit: 50 })).rows.length, 10);
      const wrong = await open('/basic/items', { auth: 'basic', username: server.username }, { password: 'nope-nope' });
      isCode('auth', /401/)(await failure(wrong));
    });

    it('API key: sent in the configured header; a wrong key is a permission error (403)', async () => {
      const ok = await open('/apikey/items', { auth: 'api-key', apiKeyHeader: 'X-Api-Key' }, { token: server.apiKey });
      assert.equal((await ok.readRows({ name: 't' }, { limit: 50 })).rows.length, 10);
      assert.equal(server.requests[0]?.headers['x-api-key'], server.apiKey);
      assert.equal(server.requests[0]?.headers.authorization, undefined);
      const wrong = await open('/apikey/items', { auth: 'api-key', apiKeyHeader: 'X-Api-Key' }, { token: 'key-0000000000' });
      isCode('permission', /denies access to GET \/v1\/apikey\/items \(403 Forbidden\): .*missing or wrong API key/)(await failure(wrong));
    });

    it('a server that echoes the credentials in its error body has them blanked in the message', async () => {
      for (const [auth, secrets] of [
        ['bearer', { token: server.token }],
        ['api-key', { token: server.apiKey }],
        ['basic', { password: server.password }],
      ] as const) {
        const session = await open('/faults/echo', { auth, username: server.username }, secrets);
        const e = await failure(session);
        isCode('bad_response', /The API failed on GET \/v1\/faults\/echo \(500 Internal Server Error\)/)(e);
        assert.match(e.message, /\*\*\*/);
        for (const secret of [server.token, server.apiKey, server.password, Buffer.from(`${server.username}:${server.password}`).toString('base64')]) assert.ok(!e.message.includes(secret), e.message);
      }
    });

    it('credentials are refused in the non-secret headers field', async () => {
      await assert.rejects(open('/bearer/items', { headers: JSON.stringify({ Authorization: 'Bearer x' }) }), isCode('invalid_value', /"headers": Authorization carries credentials/));
    });
  });

  describe('rate limits, timeouts, cancellation, concurrency', () => {
    it('429 with Retry-After is waited out and retried', async () => {
      server.rateLimited = 2;
      const session = await open('/limited/items');
      const page = await session.readRows({ name: 't' }, { limit: 10 });
      assert.equal(page.rows.length, 5);
      assert.equal(server.requests.length, 3);
      // As the server saw it: each retry came at least the 1 s Retry-After after the 429 (a lower bound, which a busy
      // machine only makes longer; timers may fire a millisecond early).
      const [first, second, third] = server.requests.map((r) => r.at) as [number, number, number];
      assert.ok(second - first >= 990 && third - second >= 990, `retried after ${Math.round(second - first)} ms and ${Math.round(third - second)} ms`);
      assert.ok(logs.some((l) => /GET \/v1\/limited\/items: rate limited \(429\), retrying in 1 s/.test(l)));
    });

    it('429 asking for a longer wait than allowed fails at once with a clear message', async () => {
      const session = await open('/throttled/items');
      isCode('connection', /rate limiting GET \/v1\/throttled\/items \(429 Too Many Requests\) and asks to wait 3600 s; gave up/)(await failure(session));
      // It gave up without waiting: one request, answered, and no retry announced.
      assert.equal(server.requests.length, 1);
      assert.equal(await server.requests[0]!.ended, 'answered');
      assert.ok(!logs.some((l) => /throttled\/items.*retrying/.test(l)), 'no retry was scheduled');
    });

    it('a request slower than timeoutMs is a timeout error', async () => {
      const session = await open('/slow/items', { timeoutMs: 300 });
      isCode('timeout', /No complete answer to GET \/v1\/slow\/items within 300 ms; raise "Timeout \(ms\)"/)(await failure(session));
      // The datasource gave up on the request itself: the server saw the connection close before it answered (it
      // answers after 2 s), and nothing was asked again.
      assert.equal(server.requests.length, 1);
      assert.equal(await server.requests[0]!.ended, 'aborted');
    });

    it("the caller's signal cancels a request, and closing the session cancels what is running", async () => {
      const session = await open('/slow/items');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      isCode('cancelled')(await failure(session, (s) => s.readRows({ name: 't' }, { limit: 10, signal: controller.signal })));
      const other = await open('/slow/items');
      const running = failure(other);
      setTimeout(() => void other.close(), 100);
      isCode('cancelled', /closed/)(await running);
      // Both requests were aborted on the wire, not left running with their answers thrown away.
      assert.equal(server.requests.length, 2);
      assert.deepEqual(await Promise.all(server.requests.map((r) => r.ended)), ['aborted', 'aborted']);
    });

    it('at most maxConcurrent requests are in flight at once', async () => {
      const endpoint = { idField: 'id', recordsPath: 'data', pagination: { style: 'page', pageSize: 10 } };
      for (const cap of [2, 5]) {
        const session = await open('/paced/items', { maxConcurrent: cap }, {}, endpoint);
        await session.getSchema({ name: 't' });
        server.resetStats();
        // Twelve reads of different pages at once: twelve requests, no cache hits.
        const pages = await Promise.all(Array.from({ length: 12 }, (_, i) => session.readRows({ name: 't' }, { limit: 10, offset: 10 * (i + 1) })));
        assert.deepEqual(pages.map((p) => p.rows[0]![0]), Array.from({ length: 12 }, (_, i) => 10 * (i + 1) + 1));
        assert.equal(server.requests.length, 12);
        assert.equal(server.maxInFlight, cap, `the server saw ${server.maxInFlight} requests at once with maxConcurrent ${cap}`);
      }
    });
  });

  describe('bad responses', () => {
    it('a body that is not JSON', async () => {
      isCode('bad_response', /GET \/v1\/faults\/text did not return JSON \(Content-Type text\/plain\); it starts with: "OK then, everything is fine"/)(await failure(await open('/faults/text')));
    });

    it('an HTML page, with its title', async () => {
      isCode('bad_response', /GET \/v1\/faults\/html returned an HTML page instead of JSON \(titled "Welcome to nginx!"\); check the base URL/)(await failure(await open('/faults/html')));
      isCode('bad_response', /failed on GET \/v1\/faults\/html502 \(502 Bad Gateway\): an HTML error page titled "502 Bad Gateway"/)(await failure(await open('/faults/html502')));
    });

    it('401, 403, 404 and 500 each with their code and the start of the body', async () => {
      isCode('auth', /401 Unauthorized.*token expired/)(await failure(await open('/faults/401')));
      isCode('permission', /403 Forbidden.*you may not read this/)(await failure(await open('/faults/403')));
      isCode('not_found', /GET \/v1\/no\/such\/path was not found \(404 Not Found\); check the endpoint path/)(await failure(await open('/no/such/path')));
      isCode('bad_response', /The API failed on GET \/v1\/faults\/500 \(500 Internal Server Error\): "\{"error":"database is on fire"/)(await failure(await open('/faults/500')));
    });

    it('a body over the size cap stops being read: too_large, whether declared or streamed', async () => {
      const streamed = await open('/faults/huge', { maxBodyBytes: 1024 * 1024 });
      isCode('too_large', /The response to GET \/v1\/faults\/huge is larger than the limit of 1 MB; Nocoflo stopped reading it/)(await failure(streamed));
      // A body without end: only a client that stops at the cap and closes the connection gets an answer at all.
      server.resetStats();
      isCode('too_large', /GET \/v1\/faults\/endless is larger than the limit of 1 MB/)(await failure(await open('/faults/endless', { maxBodyBytes: 1024 * 1024 })));
      assert.equal(await server.requests[0]!.ended, 'aborted', 'the datasource closed the connection');
      isCode('too_large', /larger than the limit of 1 MB/)(await failure(await open('/faults/declared-huge', { maxBodyBytes: 1024 * 1024 })));
      // Under the default cap the same body reads fine.
      const fine = await open('/faults/huge');
      assert.equal((await fine.countRows({ name: 't' })).count, 30_000);
    });

    it('a document nested 100,000 deep is a bad_response naming the limit, not a RangeError; one at the limit is read', async () => {
      const e = await failure(await open('/faults/deep'));
      isCode('bad_response', new RegExp(`GET /v1/faults/deep returned JSON nested more than ${MAX_JSON_DEPTH} levels deep`))(e);
      assert.ok(!(e instanceof RangeError));
      // The array of records and the record are two levels, the "tree" field the rest: the deepest document accepted.
      const atLimit = await open(`/faults/deep?depth=${MAX_JSON_DEPTH - 2}`);
      const page = await atLimit.readRows({ name: 't' }, { limit: 10 });
      const tree = page.rows[0]![page.columns.indexOf('tree')] as string;
      assert.equal(tree.length, 2 * (MAX_JSON_DEPTH - 2));
      assert.match(tree, /^\[+\]+$/);
      isCode('bad_response', /nested more than/)(await failure(await open(`/faults/deep?depth=${MAX_JSON_DEPTH - 1}`)));
    });

    it('records not where recordsPath says: the message shows what is there', async () => {
      isCode('bad_response', /expected an array of records at the response body, found an object with keys "data", "count"\. Set "recordsPath" of endpoint "t"/)(await failure(await open('/faults/wrapped')));
      isCode('bad_response', /at "data" in the response, found an object with keys "rows"/)(await failure(await open('/faults/wrapped', {}, {}, { recordsPath: 'data' })));
      const right = await open('/faults/wrapped', {}, {}, { recordsPath: 'data.rows' });
      assert.deepEqual((await right.readRows({ name: 't' }, { limit: 5 })).rows, []);
    });

    it('redirects are followed on the same site only; next links to other sites are not followed', async () => {
      const here = await open('/faults/redirect-here');
      assert.equal((await here.readRows({ name: 't' }, { limit: 10 })).rows.length, 3);
      isCode('bad_response', /redirects to another site \(http:\/\/127\.0\.0\.2:9\); Nocoflo does not follow it/)(await failure(await open('/faults/redirect-away', { auth: 'bearer' }, { token: server.token })));
      const link = await open('/faults/link-away', {}, {}, { pagination: { style: 'link', pageSize: 1 } });
      isCode('bad_response', /next-page link of "t" leads to another site/)(await failure(link, (s) => s.readRows({ name: 't' }, { limit: 10 })));
    });

    it('a server that is not running is a connection error', async () => {
      const port = await freePort();
      const session = await plugin.connect({ baseUrl: `http://127.0.0.1:${port}/v1`, endpoints: '[{"name":"t","path":"/x"}]' }, {}, context);
      sessions.push(session);
      isCode('connection', new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port} for GET /v1/x: connection refused`))(await failure(session));
    });
  });

  describe('records', () => {
    it('records of different shapes are unioned into one schema and all shown', async () => {
      const session = await open('/faults/mixed', {}, {}, { idField: 'id' });
      const schema = await session.getSchema({ name: 't' });
      assert.deepEqual(
        schema.columns.map((c) => `${c.name}:${c.kind}:${c.declaredType}${c.nullable ? '?' : ''}`),
        ['id:integer:integer', 'name:text:string?', 'n:json:number | string', 'extra:json:object?', 'only2:boolean:boolean?', 'when:datetimetz:string (date-time)?'],
      );
      const page = await session.readRows({ name: 't' }, { limit: 10 });
      assert.deepEqual(page.rows, [
        [1, 'a', '1', '{"deep":[1,2]}', null, null],
        [2, 'b', '2.5', null, true, null],
        [3, null, '"three"', null, null, null],
        [4, null, '4', null, null, '2024-02-03T04:05:06Z'],
      ]);
    });

    it('records without the id field are shown but cannot be edited, and the page says so', async () => {
      const session = await open('/faults/noid', {}, {}, { idField: 'id', writes: { update: 'PATCH /items/{id}' } });
      const page = await session.readRows({ name: 't' }, { limit: 10 });
      assert.equal(page.rows.length, 4);
      assert.deepEqual(page.keys, [{ id: 1 }, null, null, { id: 4 }]);
      assert.equal(page.note, '2 of the 4 records on this page have no usable "id" field (idField), so they cannot be edited or deleted.');
      const none = await open('/faults/noid', {}, {}, { idField: 'uuid', writes: { update: 'PATCH /items/{id}' } });
      assert.match((await none.getSchema({ name: 't' })).readOnlyReason ?? '', /none of the records of "t" has the id field "uuid"/);
    });
  });

  describe('configuration', () => {
    const bad = (endpoints: string, message: RegExp) => assert.rejects(plugin.connect({ baseUrl: 'http://127.0.0.1:1/v1', endpoints }, {}, context), isCode('invalid_value', message));

    it('malformed endpoint definitions are refused, naming the entry and key', async () => {
      await bad('[{"name":"a","path":"/a"},', /"endpoints" is not valid JSON/);
      await bad('{"name":"a"}', /"endpoints" must be a JSON array/);
      await bad('[]', /needs at least one endpoint/);
      await bad('[{"path":"/a"}]', /endpoints\[0\]: needs a "name"/);
      await bad('[{"name":"a"}]', /endpoints\[0\] \("a"\): needs a "path"/);
      await bad('[{"name":"a","path":"/a"},{"name":"b","path":"/b","pagination":{"style":"pages"}}]', /endpoints\[1\] \("b"\): "pagination.style" must be one of none, page, offset, cursor, link/);
      await bad('[{"name":"a","path":"/a","pagination":{"style":"cursor"}}]', /"pagination.cursorPath" must say where the next cursor is/);
      await bad('[{"name":"a","path":"/a","pagination":{"style":"page","pageSize":0}}]', /"pagination.pageSize" must be a whole number of at least 1/);
      await bad('[{"name":"a","path":"https://evil.example/a"}]', /"path" must be a path relative to the base URL/);
      await bad('[{"name":"a","path":"/a","writes":{"update":"PATCH /a/{id}"}}]', /needs an "idField"/);
      await bad('[{"name":"a","path":"/a","idField":"id","writes":{"update":"PATCH /a"}}]', /"writes.update" must contain \{id\}/);
      await bad('[{"name":"a","path":"/a","idField":"id","writes":{"delete":"GET /a/{id}"}}]', /"writes.delete" cannot use GET/);
      await bad('[{"name":"a","path":"/a","recordsPath":"data..x"}]', /"recordsPath": the JSON path "data..x" is malformed/);
      await bad('[{"name":"a","path":"/a","columns":{"p":{"kind":"money"}}}]', /"columns.p.kind" must be one of/);
      await bad('[{"name":"a","path":"/a","pagniation":{}}]', /unknown key "pagniation"/);
      await bad('[{"name":"a","path":"/a"},{"name":"a","path":"/b"}]', /endpoints\[1\]: the name "a" is already used by endpoints\[0\]/);
    });

    it('other settings are checked too', async () => {
      const connect = (config: DatasourceConfig) => plugin.connect({ endpoints: '[{"name":"a","path":"/a"}]', ...config }, {}, context);
      await assert.rejects(connect({ baseUrl: 'ftp://x/y' }), isCode('invalid_value', /must start with http:\/\/ or https:\/\//));
      await assert.rejects(connect({ baseUrl: 'not a url' }), isCode('invalid_value', /cannot be parsed/));
      await assert.rejects(connect({ baseUrl: 'http://u:p@127.0.0.1/v1' }), isCode('invalid_value', /must not hold a user name or password/));
      await assert.rejects(connect({ baseUrl: 'http://127.0.0.1/v1', auth: 'oauth' }), isCode('invalid_value', /"auth" must be one of none, bearer, basic, api-key/));
      await assert.rejects(connect({ baseUrl: 'http://127.0.0.1/v1', maxConcurrent: 0 }), isCode('invalid_value', /"maxConcurrent" must be a whole number from 1 to 64/));
      await assert.rejects(connect({ baseUrl: 'http://127.0.0.1/v1', headers: '{"X": [1]}' }), isCode('invalid_value', /the value of X must be text/));
    });
  });

  describe('secrets', () => {
    it('no secret appeared in any error message or log line', () => {
      assert.ok(messages.length >= 20, `${messages.length} messages checked`);
      const basic = Buffer.from(`${server.username}:${server.password}`).toString('base64');
      for (const line of [...messages, ...logs]) {
        for (const secret of [server.token, server.apiKey, server.password, basic]) assert.ok(!line.includes(secret), line);
      }
    });
  });
});
