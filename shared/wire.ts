// The JSON form of an API type, derived instead of restated, so a field added to api/ reaches the wire types (and
// a drift between them fails to compile where the codec converts one into the other). Cell values become their wire
// encoding (shared/values.ts), bigint and bytes on their own become their tags, dates ISO text; functions,
// AbortSignals and a query reference's bound values do not cross (a cancel is its own message).
import type { CellValue, QueryText } from '../api';
import type { WireValue } from './values';

type Dropped = AbortSignal | ((...args: never[]) => unknown);

export type Wire<T> = unknown extends T
  ? T
  : CellValue extends T
    ? WireValue | WireOf<Exclude<T, CellValue>>
    : WireOf<T>;

type WireOf<T> = T extends Dropped
  ? never
  : T extends QueryText
    ? // A query reference's bound values stay in the host: views get its text only (refForView). A QueryText is
      // told from a StatementPreview, whose values do cross, by its optional `params`.
      keyof T extends keyof QueryText
      ? undefined extends (T & { params?: unknown })['params']
        ? { text: string }
        : WireObject<T>
      : WireObject<T>
  : T extends bigint
    ? { $bigint: string }
    : T extends Uint8Array
      ? { $bytes: string }
      : T extends Date
        ? string
        : T extends readonly (infer E)[]
          ? Wire<E>[]
          : T extends object
            ? WireObject<T>
            : T;

type WireObject<T> = { [K in keyof T as Exclude<T[K], undefined> extends Dropped ? never : K]: Wire<T[K]> };
