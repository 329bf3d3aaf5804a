// Presets (plugins/rest/presets): data merged under an endpoint's own keys, with {path} and {idField} filled; what
// each one pushes to its API and what it keeps local. Against faithful servers: test/integration/restPresets*.
import * as assert from 'node:assert/strict';
import type { DatasourceError } from '../../api';
import { parseEndpoints } from '../../plugins/rest/endpoints';
import { planQuery } from '../../plugins/rest/queryPlan';
import { readSettings } from '../../plugins/rest/settings';

const track = (preset: string, extra: Record<string, unknown> = {}) => parseEndpoints(JSON.stringify([{ name: 'Track', path: '/Track', idField: 'TrackId', ...extra }]), preset)[0]!;

describe('REST presets', () => {
  it('PostgREST: operators, NULL-keeping ne, order with NULL placement, counts and writes by key filter', () => {
    const e = track('postgrest');
    const plan = planQuery(e, {
      filters: [
        { column: 'Composer', op: 'ne', value: 'AC/DC' },
        { column: 'GenreId', op: 'in', value: [1, 3] },
        { column: 'Name', op: 'contains', value: '(live' },
      ],
      sort: [
        { column: 'Milliseconds', direction: 'desc' },
        { column: 'Name', direction: 'asc' },
      ],
    });
    assert.deepEqual(plan.params, [
      ['or', '(Composer.neq.AC/DC,Composer.is.null)'],
      ['GenreId', 'in.(1,3)'],
      ['Name', 'ilike.*(live*'],
      ['order', 'Milliseconds.desc.nullslast,Name.asc.nullsfirst,TrackId.asc.nullsfirst'],
    ]);
    assert.deepEqual(plan.clientFilters, []);
    assert.deepEqual(e.writes.update, { method: 'PATCH', path: '/Track?TrackId=eq.{id}' });
    assert.deepEqual(e.readHeaders, { Prefer: 'count=exact' });
    assert.deepEqual(e.writeHeaders, { Prefer: 'return=representation' });
    assert.equal(e.totalHeader, 'content-range');
  });

  it('OData: one $filter joined by and, $orderby, $top/$skip and $count', () => {
    const e = track('odata');
    const plan = planQuery(e, {
      filters: [
        { column: 'Composer', op: 'ne', value: "O'Brien" },
        { column: 'Name', op: 'startswith', value: 'The' },
        { column: 'Bytes', op: 'isnull' },
      ],
      sort: [{ column: 'Name', direction: 'desc' }],
    });
    assert.deepEqual(plan.params, [
      ['$filter', "Composer ne 'O''Brien' and startswith(tolower(Name),'the') and Bytes eq null"],
      ['$orderby', 'Name desc,TrackId asc'],
    ]);
    assert.deepEqual(e.readParams, [['$count', 'true']]);
    assert.deepEqual(e.writes.delete, { method: 'DELETE', path: '/Track({id})' });
  });

  it('json-server: escaped _like, repeated in, local ne with its note, NULL order kept local for nullable columns', () => {
    const e = track('json-server');
    const plan = planQuery(e, { filters: [{ column: 'Name', op: 'contains', value: '.' }, { column: 'GenreId', op: 'in', value: [1, 3] }, { column: 'Composer', op: 'ne', value: 'x' }] });
    assert.deepEqual(plan.params, [
      ['Name_like', '\\.'],
      ['GenreId', '1'],
      ['GenreId', '3'],
    ]);
    assert.match(plan.reasons.join(), /_ne drops records whose field is null/);
    const columns = [
      { name: 'Name', declaredType: 'string', kind: 'text', nullable: false },
      { name: 'Composer', declaredType: 'string', kind: 'text', nullable: true },
      { name: 'TrackId', declaredType: 'integer', kind: 'integer', nullable: false },
    ] as const;
    assert.deepEqual(planQuery(e, { sort: [{ column: 'Name', direction: 'desc' }] }, [...columns]).params, [
      ['_sort', 'Name,TrackId'],
      ['_order', 'desc,asc'],
    ]);
    assert.ok(planQuery(e, { sort: [{ column: 'Composer', direction: 'asc' }] }, [...columns]).clientSort);
  });

  it('types operands of numeric columns as numbers in the API syntax', () => {
    const columns = [{ name: 'UnitPrice', declaredType: 'number (as decimal)', kind: 'decimal', nullable: false }] as const;
    assert.deepEqual(planQuery(track('odata'), { filters: [{ column: 'UnitPrice', op: 'eq', value: '2.50' }] }, [...columns]).params, [['$filter', 'UnitPrice eq 2.5']]);
    assert.deepEqual(planQuery(track('odata'), { filters: [{ column: 'Name', op: 'eq', value: '2.50' }] }, [...columns]).params, [['$filter', "Name eq '2.50'"]]);
    assert.deepEqual(planQuery(track('odata'), { filters: [{ column: 'UnitPrice', op: 'gt', value: '12345678901234567890' }] }, [...columns]).params, [['$filter', 'UnitPrice gt 12345678901234567890']]);
  });

  it('breaks ties by the id field, unless the sort already has it', () => {
    assert.deepEqual(planQuery(track('odata'), { sort: [{ column: 'TrackId', direction: 'desc' }] }).params, [['$orderby', 'TrackId desc']]);
    assert.throws(() => track('generic', { sort: { params: { s: '{column}.{dir}' }, tiebreak: true } }), /needs "sort.separator"/);
  });

  it('lets an endpoint override preset keys, and names unknown presets', () => {
    const e = track('json-server', { pagination: { pageSize: 25 }, filters: { ne: '{column}_ne' } });
    assert.equal(e.pagination.pageSize, 25);
    assert.equal(e.pagination.pageParam, '_page');
    assert.deepEqual(planQuery(e, { filters: [{ column: 'a', op: 'ne', value: 1 }] }).params, [['a_ne', '1']]);
    assert.equal(track('postgrest', { idField: undefined }).writes.update, undefined, 'no idField: no writes by key');
    assert.throws(
      () => readSettings({ baseUrl: 'http://h', preset: 'graphql', endpoints: JSON.stringify([{ name: 't', path: '/t' }]) }),
      (e: DatasourceError) => e.code === 'invalid_value' && /"preset" must be one of generic, postgrest, odata, json-server/.test(e.message),
    );
    assert.equal(readSettings({ baseUrl: 'http://h', preset: 'odata', endpoints: JSON.stringify([{ name: 't', path: '/t', preset: 'generic' }]) }).endpoints[0]!.recordsPath.length, 0);
  });
});
