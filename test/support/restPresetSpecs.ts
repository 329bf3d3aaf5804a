// What differs per preset in the preset conformance run (test/integration/restPresets.test.ts): the server that
// implements the convention, the paging parameters every read must carry, how a pushed sort looks on the wire, and
// where writes go.
import * as assert from 'node:assert/strict';
import type { SortKey } from '../../api';
import { startJsonServerStyle } from './servers/jsonServerStyle';
import { startOdataServer } from './servers/odataServer';
import { startPostgrestServer } from './servers/postgrestServer';
import type { ApiServer, Seen, Table } from './servers/tableServer';

export interface PresetSpec {
  preset: string;
  start(table: Table): Promise<ApiServer>;
  firstRequestOk(params: [string, string][]): boolean;
  sortParams: string[];
  expectedSort(sort: SortKey[]): [string, string][];
  checkWriteRequests(requests: Seen[]): void;
  /** How the API answers a filter on a column it does not have: an error, or (json-server) no records. */
  unknownColumn: 'error' | 'empty';
}

/** The presets' tiebreak: the id field ascending after the sort keys. */
const withId = (sort: SortKey[]): SortKey[] => [...sort, { column: 'TrackId', direction: 'asc' }];
const has = (params: [string, string][], ...names: string[]) => names.every((n) => params.some(([k]) => k === n));
const lastWrite = (requests: Seen[], method: string) => requests.filter((r) => r.method === method).at(-1)!;

export const postgrestPresetSpec: PresetSpec = {
  preset: 'postgrest',
  start: startPostgrestServer,
  firstRequestOk: (params) => has(params, 'limit', 'offset'),
  sortParams: ['order'],
  expectedSort: (sort) => [['order', withId(sort).map((s) => `${s.column}.${s.direction}.${s.direction === 'asc' ? 'nullsfirst' : 'nullslast'}`).join(',')]],
  checkWriteRequests(requests) {
    const patch = lastWrite(requests, 'PATCH');
    assert.equal(patch.path, '/Track');
    assert.deepEqual(patch.params, [['TrackId', 'eq.3504']]);
    assert.equal(patch.headers.prefer, 'return=representation');
    assert.equal(lastWrite(requests, 'GET').headers.prefer, 'count=exact');
  },
  unknownColumn: 'error',
};

export const odataPresetSpec: PresetSpec = {
  preset: 'odata',
  start: (table) => startOdataServer(table),
  firstRequestOk: (params) => has(params, '$top', '$skip', '$count'),
  sortParams: ['$orderby'],
  expectedSort: (sort) => [['$orderby', withId(sort).map((s) => `${s.column} ${s.direction}`).join(',')]],
  checkWriteRequests(requests) {
    assert.equal(lastWrite(requests, 'PATCH').path, '/Track(3504)');
    assert.equal(lastWrite(requests, 'POST').path, '/Track');
  },
  unknownColumn: 'error',
};

export const jsonServerPresetSpec: PresetSpec = {
  preset: 'json-server',
  start: startJsonServerStyle,
  // Without _page json-server does not page at all (the Link-paging bug): every read asks for a page.
  firstRequestOk: (params) => has(params, '_page', '_limit'),
  sortParams: ['_sort', '_order'],
  expectedSort: (sort) => [
    ['_sort', withId(sort).map((s) => s.column).join(',')],
    ['_order', withId(sort).map((s) => s.direction).join(',')],
  ],
  checkWriteRequests(requests) {
    assert.equal(lastWrite(requests, 'PATCH').path, '/Track/3504');
  },
  unknownColumn: 'empty',
};
