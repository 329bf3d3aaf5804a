// Pure logic of the REST datasource: JSON paths, Link headers, schema inference and cell conversion, endpoint and
// settings validation, URL parsing, Retry-After, query planning (what goes to the API) and client-side evaluation,
// page states and cursors. The datasource against a real HTTP server is in test/integration/rest*.test.ts.
import * as assert from 'node:assert/strict';
import type { ColumnSchema, DatasourceError } from '../../api';
import { parseEndpoints } from '../../plugins/rest/endpoints';
import { htmlTitle, retryAfterMs } from '../../plugins/rest/http';
import { getPath, parseJsonPath } from '../../plugins/rest/jsonPath';
import { linkTarget, parseLinkHeader } from '../../plugins/rest/linkHeader';
import { advance, decodeCursor, encodeCursor, initialState, pageRequest, readApiPage, seekState } from '../../plugins/rest/paging';
import { applyClientSide, compareCells, matchesFilter, needsClient, planQuery } from '../../plugins/rest/queryPlan';
import { fromCell, inferColumns, kindOf, sameCell, toCell } from '../../plugins/rest/schemaInference';
import { authHeaders, parseUrl, readSettings, redactor, secretTexts } from '../../plugins/rest/settings';
import { endpointUrl, fillId } from '../../plugins/rest/urls';

const invalid = (message: RegExp) => (e: DatasourceError) => e.code === 'invalid_value' && message.test(e.message);
const one = (definition: Record<string, unknown>) => parseEndpoints(JSON.stringify([{ name: 't', path: '/t', ...definition }]))[0]!;

describe('REST datasource kit', () => {
  describe('JSON paths', () => {
    it('parses keys, indexes and quoted keys, and reads values', () => {
      assert.deepEqual(parseJsonPath('data.items'), ['data', 'items']);
      assert.deepEqual(parseJsonPath('$.results[0].rows'), ['results', 0, 'rows']);
      assert.deepEqual(parseJsonPath('["a.b"].c'), ['a.b', 'c']);
      assert.deepEqual(parseJsonPath(''), []);
      const body = { data: { items: [1, 2] }, results: [{ rows: ['x'] }], 'a.b': { c: 3 } };
      assert.deepEqual(getPath(body, parseJsonPath('data.items')), [1, 2]);
      assert.deepEqual(getPath(body, parseJsonPath('results[0].rows')), ['x']);
      assert.equal(getPath(body, parseJsonPath('["a.b"].c')), 3);
      assert.equal(getPath(body, parseJsonPath('data.missing.deeper')), undefined);
      assert.equal(getPath(body, parseJsonPath('data[0]')), undefined, 'an index into an object is missing, not a key');
      assert.equal(getPath({ toString: 1 }, ['constructor']), undefined, 'only own keys');
      assert.deepEqual(getPath(body, []), body);
    });

    it('says where a path is malformed', () => {
      assert.throws(() => parseJsonPath('a..b'), /"a\.\.b" is malformed: an empty key/);
      assert.throws(() => parseJsonPath('a[0'), /without "\]"/);
      assert.throws(() => parseJsonPath('a[x]'), /neither an index nor a quoted key/);
      assert.throws(() => parseJsonPath('a.'), /an empty key/);
    });
  });

  describe('Link headers (RFC 8288)', () => {
    it('finds rel="next" among several links, with quoted commas and semicolons, relative targets and rel lists', () => {
      const header = '<https://api.test/items?page=1>; rel="first", <https://api.test/items?page=9>; rel=last, <?page=3&per_page=20>; title="a, b; c"; rel="next prefetch", <https://api.test/items?page=1>; rel="prev previous"';
      const links = parseLinkHeader(header);
      assert.equal(links.length, 4);
      assert.deepEqual(links[2]!.rel, ['next', 'prefetch']);
      assert.equal(links[2]!.params.title, 'a, b; c');
      assert.equal(linkTarget(header, 'next', 'https://api.test/items?page=2'), 'https://api.test/items?page=3&per_page=20');
      assert.equal(linkTarget(header, 'previous', 'https://api.test/'), 'https://api.test/items?page=1');
      assert.equal(linkTarget('<https://x/1>; rel="last"', 'next', 'https://x/'), undefined);
      assert.equal(linkTarget(null, 'next', 'https://x/'), undefined);
      assert.equal(linkTarget('garbage without brackets', 'next', 'https://x/'), undefined);
      assert.equal(linkTarget('<https://x/2>; REL="NEXT"', 'next', 'https://x/'), 'https://x/2', 'relation names are case-insensitive');
    });
  });

  describe('schema inference', () => {
    it('types fields from the values seen, unions shapes, and marks missing or null fields nullable', () => {
      const { columns, withoutId } = inferColumns(
        [
          { id: 1, n: 1, f: 1, s: 'a', d: '2024-01-02', t: '2024-01-02T03:04:05.6+02:00', u: '123e4567-e89b-12d3-a456-426614174000', b: true, o: { x: 1 }, a: [1] },
          { id: 2, n: 2, f: 1.5, s: null, d: '2024-02-03', t: '2024-01-02T03:04:05Z', u: '123e4567-e89b-12d3-a456-426614174001', b: false, o: null, a: [], late: 'x' },
          { n: 3, f: 2, s: 'c', d: 'soon', t: '2024-01-02T03:04:05Z', b: false, o: [1], a: 'x' },
        ],
        { idField: 'id', overrides: { f: { kind: 'decimal' }, extra: { kind: 'text', comment: 'added' } } },
      );
      const shown = columns.map((c) => `${c.name}:${c.kind}:${c.declaredType}${c.nullable ? '?' : ''}${c.primaryKeyPosition ? ':pk' : ''}`);
      assert.deepEqual(shown, [
        'id:integer:integer:pk',
        'n:integer:integer',
        'f:decimal:number (as decimal)',
        's:text:string?',
        'd:text:string',
        't:datetimetz:string (date-time)',
        'u:uuid:string (uuid)?',
        'b:boolean:boolean',
        'o:json:array | object?',
        'a:json:array | string',
        'late:text:string?',
        'extra:text:text?',
      ]);
      assert.equal(columns.find((c) => c.name === 'extra')!.comment, 'added');
      assert.equal(withoutId, 1);
      assert.deepEqual(kindOf(new Set()), { kind: 'text', declaredType: 'null' });
      assert.deepEqual(kindOf(new Set(['integer', 'number'] as const)), { kind: 'float', declaredType: 'number' });
      assert.deepEqual(kindOf(new Set(['integer', 'string'] as const)), { kind: 'json', declaredType: 'number | string' });
    });

    it('converts cells both ways: JSON columns as text, numbers and booleans from typed text, clear errors', () => {
      const col = (kind: ColumnSchema['kind']): ColumnSchema => ({ name: 'c', declaredType: kind, kind, nullable: true });
      assert.equal(toCell({ a: [1] }, 'json'), '{"a":[1]}');
      assert.equal(toCell('x', 'json'), '"x"', 'a string in a mixed column stays distinguishable from a number');
      assert.equal(toCell(undefined, 'text'), null);
      assert.equal(toCell([1], 'text'), '[1]', 'an object in a column sampled as text is still shown');
      assert.deepEqual(fromCell('{"a":[1]}', col('json')), { a: [1] });
      assert.equal(fromCell('12', col('integer')), 12);
      assert.equal(fromCell('1.5', col('float')), 1.5);
      assert.equal(fromCell('true', col('boolean')), true);
      assert.equal(fromCell(5n, col('integer')), 5);
      assert.equal(fromCell(null, col('integer')), null);
      assert.throws(() => fromCell('1.5', col('integer')), (e: DatasourceError) => e.code === 'invalid_value' && e.column === 'c' && /not a whole number/.test(e.message));
      assert.throws(() => fromCell('{', col('json')), /not valid JSON/);
      assert.throws(() => fromCell(new Uint8Array([1]), col('text')), /binary values/);
      // Since issue 20 a bigint beyond a double's precision is sent as its exact digits (restTypeFidelity.test.ts).
      assert.equal(String((fromCell(2n ** 60n, col('integer')) as { text: string }).text), String(2n ** 60n));
      assert.equal(sameCell('{"a":1,"b":2}', '{ "b": 2, "a": 1 }', 'json'), true);
      assert.equal(sameCell(5, '5', 'integer'), true);
      assert.equal(sameCell(5, 6, 'integer'), false);
      assert.equal(sameCell(null, '', 'text'), false);
    });
  });

  describe('endpoint definitions', () => {
    it('fills defaults per pagination style and parses writes', () => {
      const e = one({ idField: 'id', pagination: { style: 'cursor', cursorPath: 'meta.next' }, writes: { insert: true, update: 'PUT /t/{id}', delete: true } });
      assert.deepEqual(e.pagination, { style: 'cursor', pageSize: 100, pageParam: 'page', firstPage: 1, offsetParam: 'offset', cursorParam: 'cursor', cursorPath: ['meta', 'next'], sizeParam: 'limit' });
      assert.deepEqual(e.writes, { insert: { method: 'POST', path: '/t' }, update: { method: 'PUT', path: '/t/{id}' }, delete: { method: 'DELETE', path: '/t/{id}' } });
      assert.equal(e.totalHeader, 'x-total-count');
      assert.equal(one({ pagination: 'page' }).pagination.sizeParam, 'per_page');
      assert.equal(one({ pagination: { style: 'page', sizeParam: null } }).pagination.sizeParam, undefined, 'null: the API has no size parameter');
      assert.deepEqual(parseEndpoints(''), []);
      // Workspace settings (nocoflo.connections) hold real JSON rather than JSON text.
      assert.equal(parseEndpoints([{ name: 'w', path: '/w' }])[0]!.name, 'w');
      assert.deepEqual(readSettings({ baseUrl: 'https://api.test', endpoints: [{ name: 'w', path: '/w' }], headers: { 'X-A': 'b' } } as never).headers, { 'X-A': 'b' });
    });

    it('names the entry and key that are wrong', () => {
      const bad = (definitions: unknown, message: RegExp) => assert.throws(() => parseEndpoints(JSON.stringify(definitions)), invalid(message));
      bad([{ name: 'x', path: '/x', sort: { param: 'sort', desc: 'desc' } }], /endpoints\[0\] \("x"\): "sort.asc" and "sort.desc" must contain \{column\}/);
      bad([{ name: 'x', path: '/x', filters: { like: '{column}_like' } }], /"filters.like" is not an operator/);
      bad([{ name: 'x', path: '/x', columns: { a: { colour: 'red' } } }], /"columns.a.colour" is unknown/);
      bad([{ name: 'x', path: '/x', record: '/x/1' }], /"record" must contain \{id\}/);
      bad([{ name: 'x', path: '//evil.example/x' }], /not a full URL/);
      bad([{ name: 'x', path: '/x', pagination: { style: 'page', cursorPath: 'a' } }], /only applies to the cursor style/);
      bad([{ name: 'x', path: '/x', writes: { upsert: true } }], /"writes.upsert" is unknown/);
      bad(['x'], /endpoints\[0\]: must be an object/);
    });
  });

  describe('settings', () => {
    const base = { baseUrl: 'https://api.test/v1', endpoints: '[{"name":"t","path":"/t"}]' };
    it('reads and checks settings, and builds auth headers only from secrets', () => {
      const s = readSettings({ ...base, auth: 'api-key', apiKeyHeader: 'X-Key', headers: '{"Accept-Language":"de","X-N":3}', timeoutMs: '1500' });
      assert.equal(s.timeoutMs, 1500, 'numbers typed into a form arrive as text');
      assert.deepEqual(s.headers, { 'Accept-Language': 'de', 'X-N': '3' });
      assert.deepEqual(authHeaders(s, { token: 'k' }), { 'X-Key': 'k' });
      const basic = readSettings({ ...base, auth: 'basic', username: 'u' });
      assert.deepEqual(authHeaders(basic, { password: 'p' }), { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
      assert.throws(() => authHeaders(readSettings({ ...base, auth: 'basic' }), { password: 'p' }), /needs a user name/);
      assert.throws(() => readSettings({ ...base, headers: '{"cookie":"a=b"}' }), invalid(/cookie carries credentials/));
      assert.throws(() => readSettings({ ...base, headers: '[1]' }), invalid(/must be a JSON object/));
      assert.throws(() => readSettings({ ...base, maxBodyBytes: 10 }), invalid(/at least 1024/));
      assert.throws(() => readSettings({ endpoints: base.endpoints }), invalid(/needs a base URL/));
    });

    it('redacts secrets, the headers made of them, and their URL-encoded forms', () => {
      const s = readSettings({ ...base, auth: 'basic', username: 'u' });
      const redact = redactor(secretTexts(s, { password: 'p@ss word' }));
      const header = Buffer.from('u:p@ss word').toString('base64');
      assert.equal(redact(`x p@ss word y ${header} z p%40ss%20word`), 'x *** y *** z ***');
    });

    it('parses URLs: credentials become basic auth with the password as a secret', () => {
      assert.deepEqual(parseUrl('https://al%40ice:s%3Acret@api.example.com/v1/?x=1#frag'), {
        config: { auth: 'basic', username: 'al@ice', baseUrl: 'https://api.example.com/v1/?x=1' },
        secrets: { password: 's:cret' },
      });
      assert.deepEqual(parseUrl('https://api.example.com/v1/'), { config: { baseUrl: 'https://api.example.com/v1' }, secrets: {} });
      assert.throws(() => parseUrl('ftp://x'), invalid(/must start with http/));
      assert.throws(() => parseUrl('https://u:%zz@x'), (e: Error) => /malformed %-escape/.test(e.message) && !e.message.includes('%zz'));
    });
  });

  describe('HTTP helpers', () => {
    it('reads Retry-After as seconds or a date, with a bounded back-off without one', () => {
      assert.equal(retryAfterMs('2', 0), 2000);
      assert.equal(retryAfterMs('0.5', 0), 500);
      assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 0, 4_000), 6_000);
      assert.equal(retryAfterMs(null, 0), 1000);
      assert.equal(retryAfterMs(null, 2), 4000);
      assert.equal(retryAfterMs('soon', 1), 2000);
      assert.equal(htmlTitle('<html><title>\n A &amp; B </title>'), 'A & B');
      assert.equal(htmlTitle('<html>no title'), undefined);
    });

    it('builds URLs under the base path and encodes ids', () => {
      const base = new URL('https://api.test/v1?api-version=2');
      assert.equal(endpointUrl(base, '/items?expand=tags', [['page', '2']]).toString(), 'https://api.test/v1/items?api-version=2&expand=tags&page=2');
      assert.equal(endpointUrl(base, 'items', [['api-version', '3']]).toString(), 'https://api.test/v1/items?api-version=3');
      assert.equal(fillId('/items/{id}', '../a?b=c'), '/items/..%2Fa%3Fb%3Dc');
    });
  });

  describe('query plans', () => {
    const endpoint = one({
      sort: { param: 'order', asc: '{column}', desc: '{column}:desc', columns: ['name'] },
      filters: { eq: '{column}', gte: 'min_{column}', isnull: '{column}_null=1', in: '{column}_in' },
      search: 'q',
    });
    it('sends what has templates and keeps the rest for Nocoflo, with the reasons', () => {
      const plan = planQuery(endpoint, {
        sort: [{ column: 'name', direction: 'desc' }],
        filters: [
          { column: 'a', op: 'eq', value: 1 },
          { column: 'b', op: 'gte', value: 'x' },
          { column: 'c', op: 'isnull' },
          { column: 'd', op: 'in', value: [1, 2] },
          { column: 'e', op: 'contains', value: 'z' },
        ],
        search: { text: 'hello' },
      });
      assert.deepEqual(plan.params, [
        ['a', '1'],
        ['min_b', 'x'],
        ['c_null', '1'],
        ['d_in', '1,2'],
        ['q', 'hello'],
        ['order', 'name:desc'],
      ]);
      assert.deepEqual(plan.clientFilters, [{ column: 'e', op: 'contains', value: 'z' }]);
      assert.deepEqual(plan.reasons, ['the API cannot filter "e" by contains']);
      assert.equal(needsClient(plan), true);
      const twoKeys = planQuery(endpoint, { sort: [{ column: 'name', direction: 'asc' }, { column: 'id', direction: 'asc' }] });
      assert.deepEqual(twoKeys.params, [], 'several sort keys need a separator');
      assert.ok(twoKeys.clientSort);
      assert.notEqual(planQuery(endpoint, { filters: [{ column: 'a', op: 'eq', value: 1 }] }).key, planQuery(endpoint, { filters: [{ column: 'a', op: 'eq', value: 2 }] }).key);
    });

    it('evaluates filters, search and sorts over cells like the SQL datasources', () => {
      const columns: ColumnSchema[] = ['id', 'name', 'n'].map((name) => ({ name, declaredType: 'x', kind: name === 'name' ? 'text' : 'integer', nullable: true }));
      const items = [
        [1, 'Beta', 10],
        [2, 'alpha', null],
        [3, 'Gamma', 2],
        [4, 'beta', 10],
      ].map((row) => ({ row }));
      const plan = planQuery(one({}), { sort: [{ column: 'n', direction: 'desc' }], filters: [{ column: 'name', op: 'ne', value: 'Gamma' }], search: { text: 'ET' } });
      assert.deepEqual(applyClientSide(items, columns, plan, 0).map((i) => i.row[0]), [1, 4]);
      const nullsFirst = planQuery(one({}), { sort: [{ column: 'n', direction: 'asc' }] });
      assert.deepEqual(applyClientSide(items, columns, nullsFirst, 0).map((i) => i.row[0]), [2, 3, 1, 4]);
      assert.equal(compareCells(10, 9), 1, 'numbers by value');
      assert.equal(compareCells('10', '9'), -1, 'texts as texts');
      assert.equal(matchesFilter('Hello', { column: 'x', op: 'startswith', value: 'he' }), true);
      assert.equal(matchesFilter(3, { column: 'x', op: 'in', value: [1, '3'] }), true);
      assert.equal(matchesFilter(null, { column: 'x', op: 'ne', value: 1 }), true, '"not 1" keeps NULL, as the SQL datasources do');
      assert.equal(matchesFilter(null, { column: 'x', op: 'lt', value: 1 }), false, 'NULL matches no ordering comparison');
      assert.equal(matchesFilter(null, { column: 'x', op: 'in', value: [1, null] }), true, 'a NULL in the list matches NULL');
      assert.equal(matchesFilter(null, { column: 'x', op: 'in', value: [1] }), false);
    });
  });

  describe('page states and cursors', () => {
    it('seeks page and offset styles directly and advances within a page', () => {
      const paged = one({ pagination: { style: 'page', pageSize: 40, firstPage: 0 } });
      assert.deepEqual(seekState(paged, 123), { s: 'page', page: 3, o: 123, skip: 3 });
      assert.deepEqual(pageRequest(paged, initialState(paged)).params, [['page', '0'], ['per_page', '40']]);
      assert.deepEqual(advance({ s: 'page', page: 3, o: 123, skip: 3 }, 5), { s: 'page', page: 3, o: 128, skip: 8 });
      assert.deepEqual(advance({ s: 'offset', o: 10, skip: 0 }, 5), { s: 'offset', o: 15, skip: 0 });
      assert.equal(seekState(one({ pagination: { style: 'cursor', cursorPath: 'n' } }), 5), undefined);
    });

    it('knows where an API page ends: a short page, the total, an empty cursor', () => {
      const paged = one({ pagination: { style: 'page', pageSize: 2 } });
      const response = (body: unknown, headers: Record<string, string> = {}) => ({ status: 200, headers: new Headers(headers), url: 'https://api.test/t', body });
      const state = initialState(paged);
      assert.deepEqual(readApiPage(paged, state, response([1, 2]), 'GET /t').next, { s: 'page', page: 2, o: 2, skip: 0 });
      assert.equal(readApiPage(paged, state, response([1]), 'GET /t').next, undefined);
      assert.equal(readApiPage(paged, state, response([1, 2], { 'X-Total-Count': '2' }), 'GET /t').next, undefined);
      const cursor = one({ recordsPath: 'items', pagination: { style: 'cursor', cursorPath: 'next' } });
      assert.equal(readApiPage(cursor, initialState(cursor), response({ items: [1], next: '' }), 'GET /t').next, undefined);
      assert.deepEqual(readApiPage(cursor, initialState(cursor), response({ items: [1], next: 7 }), 'GET /t').next, { s: 'cursor', c: '7', o: 1, skip: 0 });
      assert.throws(() => readApiPage(cursor, initialState(cursor), response({ items: [1], next: { a: 1 } }), 'GET /t'), /is not a text or number/);
      assert.throws(() => readApiPage(paged, state, response([1, 2, 3]), 'GET /t'), /returned 3 records for a page of 2; set "pagination.pageSize" of endpoint "t" to the API's page size \(or check that it reads "per_page"\)/);
    });

    it('cursors are opaque, tied to table and query, and checked when they come back', () => {
      const text = encodeCursor('t', 'q1', { m: 'api', state: { s: 'cursor', c: 'abc', o: 7, skip: 2 } });
      assert.deepEqual(decodeCursor(text, 't', 'q1', 'https://api.test'), { m: 'api', state: { s: 'cursor', c: 'abc', o: 7, skip: 2 } });
      assert.throws(() => decodeCursor(text, 'u', 'q1', 'https://api.test'), invalid(/another table/));
      assert.throws(() => decodeCursor(text, 't', 'q2', 'https://api.test'), invalid(/another sort or filter/));
      const damaged = encodeCursor('t', 'q1', { m: 'api', state: { s: 'page', page: -1, o: 0, skip: 0 } });
      assert.throws(() => decodeCursor(damaged, 't', 'q1', 'https://api.test'), invalid(/damaged/));
      const away = encodeCursor('t', 'q1', { m: 'api', state: { s: 'link', u: 'https://evil.test/x', o: 0, skip: 0 } });
      assert.throws(() => decodeCursor(away, 't', 'q1', 'https://api.test'), invalid(/another site/));
    });
  });
});
