import { errorChain, type MissingFeature } from '../kit/engineFallback';

// What PostgreSQL-protocol engines answer when a catalogue function, relation, column, setting or statement form is
// not there: PostgreSQL 11-based YugabyteDB "function pg_partition_tree(oid) does not exist" (42883) and "column
// a.attgenerated does not exist" (42703); CockroachDB "unknown function: pg_partition_tree()" (42883), "unrecognized
// configuration parameter "jit"" (42704) and "unimplemented: …" (0A000); Citus "could not run distributed query
// which use TABLESAMPLE" (0A000).

const MISSING = new Set([
  '42883', // undefined_function
  '42P01', // undefined_table
  '42703', // undefined_column
  '42704', // undefined_object: an unknown setting
  '0A000', // feature_not_supported
]);

const sqlstates = (error: unknown): string[] =>
  errorChain(error).flatMap((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? [code] : [];
  });

/** The engine lacks a function, relation, column, setting or feature a catalogue query used. */
export const pgMissingFeature: MissingFeature = (error) => sqlstates(error).some((code) => MISSING.has(code));

/**
 * For statements on the user's own tables: the engine lacks a function, setting or feature. An undefined table or
 * column there means the cached schema is stale (the session reads it again), not that the engine lacks something.
 */
export const pgUnsupported: MissingFeature = (error) => sqlstates(error).some((code) => MISSING.has(code) && code !== '42P01' && code !== '42703');

/**
 * pgUnsupported, and also a syntax error (42601): for statements whose only optional syntax is the feature itself
 * (TABLESAMPLE, EXPLAIN's options), which CockroachDB does not parse at all ("at or near "tablesample": syntax error").
 */
export const pgMissingSyntax: MissingFeature = (error) => pgUnsupported(error) || sqlstates(error).includes('42601');
