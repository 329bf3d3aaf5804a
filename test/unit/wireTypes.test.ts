import * as assert from 'node:assert/strict';
import type { CellValue, RowPage } from '../../api';
import type { WireRowPage } from '../../shared/protocol';
import { encodeRowPage } from '../../shared/protocolCodec';
import type { WireValue } from '../../shared/values';
import type { Wire } from '../../shared/wire';

// Compile-time checks: a wrong derivation fails `npm run typecheck`, not a run.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const holds = <T extends true>(): T => true as T;

interface Sample {
  cell: CellValue;
  cells?: CellValue | CellValue[];
  id: bigint;
  blob: Uint8Array;
  at: Date;
  limit: number;
  signal?: AbortSignal;
  run(): void;
  rows: CellValue[][];
  key: Record<string, CellValue> | null;
  config: unknown;
}

describe('wire types derived from the API (shared/wire.ts)', () => {
  it('encode what JSON cannot carry, drop what cannot cross, and leave the rest alone', () => {
    holds<Equal<Wire<CellValue>, WireValue>>();
    holds<
      Equal<
        Wire<Sample>,
        {
          cell: WireValue;
          cells?: WireValue | WireValue[];
          id: { $bigint: string };
          blob: { $bytes: string };
          at: string;
          limit: number;
          rows: WireValue[][];
          key: { [column: string]: WireValue } | null;
          config: unknown;
        }
      >
    >();
    const page: RowPage = { columns: ['id', 'data'], rows: [[1n, new Uint8Array([1, 2])]], keys: [{ id: 1n }], next: 'c' };
    const wire: WireRowPage = encodeRowPage(page);
    assert.deepEqual(wire, { columns: ['id', 'data'], rows: [[{ $bigint: '1' }, { $bytes: 'AQI=' }]], keys: [{ id: { $bigint: '1' } }], next: 'c' });
  });
});
