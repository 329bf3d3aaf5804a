// The REST template language (plugins/rest/templates.ts, encoders.ts): sorts with several parameters, filters with
// value encoders, repeated and joined lists, local operators with their note, combined parameters (OData's $filter),
// first-request paging parameters and next links in the body; and the clear errors on bad configuration.
import * as assert from 'node:assert/strict';
import type { DatasourceError, Filter } from '../../api';
import { encodeValue } from '../../plugins/rest/encoders';
import { parseEndpoints } from '../../plugins/rest/endpoints';
import { initialState, pageRequest, readApiPage } from '../../plugins/rest/paging';
import { needsClient, planQuery } from '../../plugins/rest/queryPlan';

const one = (definition: Record<string, unknown>) => parseEndpoints(JSON.stringify([{ name: 't', path: '/t', ...definition }]))[0]!;
const invalid = (message: RegExp) => (e: DatasourceError) => e.code === 'invalid_value' && message.test(e.message);
const params = (definition: Record<string, unknown>, request: Parameters<typeof planQuery>[1]) => planQuery(one(definition), request).params;

describe('REST template language', () => {
  it('sorts with two parameters, one value per key joined for multi-column sorts', () => {
    const sort = { params: { _sort: '{column}', _order: '{dir}' }, separator: ',' };
    assert.deepEqual(params({ sort }, { sort: [{ column: 'Name', direction: 'desc' }] }), [
      ['_sort', 'Name'],
      ['_order', 'desc'],
    ]);
    assert.deepEqual(params({ sort }, { sort: [{ column: 'GenreId', direction: 'asc' }, { column: 'Name', direction: 'desc' }] }), [
      ['_sort', 'GenreId,Name'],
      ['_order', 'asc,desc'],
    ]);
    const postgrest = { params: { order: '{column}.{dir}' }, asc: 'asc.nullsfirst', desc: 'desc.nullslast', separator: ',' };
    assert.deepEqual(params({ sort: postgrest }, { sort: [{ column: 'a', direction: 'desc' }, { column: 'b', direction: 'asc' }] }), [['order', 'a.desc.nullslast,b.asc.nullsfirst']]);
    // The original one-parameter form still works as before.
    assert.deepEqual(params({ sort: { param: 'sort', asc: '{column}', desc: '-{column}', separator: ',' } }, { sort: [{ column: 'a', direction: 'desc' }, { column: 'b', direction: 'asc' }] }), [['sort', '-a,b']]);
    const single = planQuery(one({ sort: { params: { _sort: '{column}', _order: '{dir}' } } }), { sort: [{ column: 'a', direction: 'asc' }, { column: 'b', direction: 'asc' }] });
    assert.deepEqual(single.clientSort?.length, 2, 'without a separator only single-column sorts are pushed');
  });

  it('encodes values per operator: regex escapes and anchors, OData literals, PostgREST quoting and LIKE', () => {
    assert.equal(encodeValue('regex', '(live'), '\\(live');
    assert.equal(encodeValue('regex', '.'), '\\.');
    assert.equal(encodeValue('regex-prefix', 'a+b'), '^a\\+b');
    assert.equal(encodeValue('regex-suffix', '$5'), '\\$5$');
    assert.equal(encodeValue('odata', "O'Brien"), "'O''Brien'");
    assert.equal(encodeValue('odata', 3.5), '3.5');
    assert.equal(encodeValue('odata', null), 'null');
    assert.equal(encodeValue('odata-lower', 'AbC'), "'abc'");
    assert.equal(encodeValue('postgrest', 'a,b'), '"a,b"');
    assert.equal(encodeValue('postgrest', 'say "hi" (x)'), '"say \\"hi\\" (x)"');
    assert.equal(encodeValue('postgrest', 'plain'), 'plain');
    assert.equal(encodeValue('postgrest-like', '100%_x'), '100\\%\\_x');
    assert.equal(encodeValue('postgrest-like', 'a*b'), undefined, 'a literal * cannot be said in a PostgREST pattern');
    assert.equal(encodeValue('raw', null), undefined);
  });

  it('builds filter parameters: encoders, repeated and joined lists, combined parameters', () => {
    const filters = {
      contains: { param: '{column}_like', encode: 'regex' },
      in: { param: '{column}', list: 'repeat' },
    };
    const f = (...list: Filter[]) => params({ filters }, { filters: list });
    assert.deepEqual(f({ column: 'Name', op: 'contains', value: '(live' }), [['Name_like', '\\(live']]);
    assert.deepEqual(f({ column: 'GenreId', op: 'in', value: [1, 3] }), [
      ['GenreId', '1'],
      ['GenreId', '3'],
    ]);
    const joined = params({ filters: { in: { param: '{column}=in.({value})', encode: 'postgrest' } } }, { filters: [{ column: 'Name', op: 'in', value: ['a,b', 'c'] }] });
    assert.deepEqual(joined, [['Name', 'in.("a,b",c)']]);
    const odata = { combine: { $filter: ' and ' }, eq: { param: '$filter={column} eq {value}', encode: 'odata' }, gt: { param: '$filter={column} gt {value}', encode: 'odata' } };
    assert.deepEqual(
      params({ filters: odata }, {
        filters: [
          { column: 'Composer', op: 'eq', value: "O'Neil" },
          { column: 'Milliseconds', op: 'gt', value: 1000 },
        ],
      }),
      [['$filter', "Composer eq 'O''Neil' and Milliseconds gt 1000"]],
    );
  });

  it('keeps local operators and values an encoder cannot say in Nocoflo, with the reason for the note', () => {
    const endpoint = one({ filters: { ne: { local: 'the API drops NULLs for _ne' }, contains: { param: '{column}=ilike.*{value}*', encode: 'postgrest-like' }, eq: { param: '{column}', recheck: true } } });
    const plan = planQuery(endpoint, {
      filters: [
        { column: 'Composer', op: 'ne', value: 'x' },
        { column: 'Name', op: 'contains', value: 'a*b' },
        { column: 'Name', op: 'contains', value: 'live' },
        { column: 'Id', op: 'eq', value: 3 },
      ],
    });
    assert.deepEqual(plan.params, [
      ['Name', 'ilike.*live*'],
      ['Id', '3'],
    ]);
    assert.deepEqual(
      plan.clientFilters.map((c) => c.op),
      ['ne', 'contains', 'eq'],
    );
    assert.ok(needsClient(plan));
    assert.match(plan.reasons.join('; '), /the API drops NULLs for _ne \(ne on "Composer"\)/);
    assert.match(plan.reasons.join('; '), /cannot express the value of the "Name" filter exactly/);
    assert.match(plan.reasons.join('; '), /checked again/);
  });

  it('sends the page parameter on the first Link-paged request, and follows next links in the body', () => {
    const linked = one({ pagination: { style: 'link', pageParam: '_page', sizeParam: '_limit', pageSize: 20 } });
    assert.deepEqual(pageRequest(linked, initialState(linked)).params, [
      ['_page', '1'],
      ['_limit', '20'],
    ]);
    const bare = one({ pagination: { style: 'link', pageParam: null, pageSize: 20 } });
    assert.deepEqual(pageRequest(bare, initialState(bare)).params, [['per_page', '20']]);
    const odata = one({ recordsPath: 'value', pagination: { style: 'link', nextLinkPath: '["@odata.nextLink"]', sizeParam: null, pageParam: null, pageSize: 2 } });
    const response = { status: 200, headers: new Headers(), url: 'http://h/t', body: { value: [{}, {}], '@odata.nextLink': '/t?$skiptoken=2' } };
    const page = readApiPage(odata, initialState(odata), response, 'GET /t');
    assert.deepEqual(page.next, { s: 'link', u: 'http://h/t?$skiptoken=2', o: 2, skip: 0 });
  });

  it('reads totals from Content-Range', () => {
    const endpoint = one({ totalHeader: 'Content-Range', pagination: { style: 'offset', pageSize: 2 } });
    const response = (range: string) => ({ status: 200, headers: new Headers({ 'Content-Range': range }), url: 'http://h/t', body: [{}, {}] });
    assert.equal(readApiPage(endpoint, initialState(endpoint), response('0-1/3503'), 'GET /t').total, 3503);
    assert.equal(readApiPage(endpoint, initialState(endpoint), response('0-1/*'), 'GET /t').total, undefined);
  });

  it('refuses bad configuration with errors naming the key', () => {
    const bad = (definition: Record<string, unknown>, message: RegExp) => assert.throws(() => one(definition), invalid(message));
    bad({ sort: { params: { _sort: '{column}' } } }, /sort.params" must put \{dir\}/);
    bad({ sort: { params: {} } }, /"sort.params" must be an object/);
    bad({ sort: { param: 's', params: { s: '{column}' } } }, /not both/);
    bad({ sort: { params: { s: '{column}{dir}' }, order: 1 } }, /"sort" has unknown key "order"/);
    bad({ filters: { contains: { param: '{column}_like', encode: 'regexp' } } }, /"filters.contains.encode" must be one of raw, regex/);
    bad({ filters: { eq: { param: '{column}', list: 'repeat' } } }, /"filters.eq.list" only applies to "in"/);
    bad({ filters: { eq: { param: 'q=1' } } }, /"filters.eq" must put \{value\}/);
    bad({ filters: { ne: { local: true, param: '{column}_ne' } } }, /local, so it takes no "param"/);
    bad({ filters: { ne: { parm: 'x' } } }, /"filters.ne" has unknown key "parm"/);
    bad({ filters: { like: '{column}_like' } }, /"filters.like" is not an operator/);
    bad({ filters: { combine: { $filter: 3 } } }, /"filters.combine" must be an object/);
    bad({ readHeaders: { Authorization: 'x' } }, /carries credentials/);
    bad({ pagination: { style: 'page', nextLinkPath: 'next' } }, /only applies to the link style/);
  });
});
