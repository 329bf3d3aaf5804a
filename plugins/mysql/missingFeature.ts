import { errorChain, type MissingFeature } from '../kit/engineFallback';

// What MySQL-protocol engines answer when a catalogue table or column, a function or a statement form is not there:
// 1146 ER_NO_SUCH_TABLE and 1054 ER_BAD_FIELD_ERROR (an information_schema table or column an engine does not
// have), 1305 (no such function), 1064 ER_PARSE_ERROR (syntax an engine does not parse), 1235 ER_NOT_SUPPORTED_YET
// (MySQL, and Vitess's "VT12001: unsupported: …" since v16), and 1105 ER_UNKNOWN_ERROR, which TiDB and older Vitess
// use for "unsupported: …" (only when the message says so: 1105 is also a generic failure).

const MISSING = new Set([1146, 1054, 1109, 1305, 1064, 1235]);
/** An unknown table or column in a statement on the user's table means a stale schema, not a missing feature. */
const STALE = new Set([1146, 1054, 1109]);

const missing = (error: unknown, catalogue: boolean) =>
  errorChain(error).some((e) => {
    const { errno, message, sqlMessage } = (e ?? {}) as { errno?: unknown; message?: unknown; sqlMessage?: unknown };
    if (typeof errno !== 'number') return false;
    if (MISSING.has(errno)) return catalogue || !STALE.has(errno);
    return errno === 1105 && /unsupported|not supported|VT12001/i.test(String(sqlMessage ?? message ?? ''));
  });

/** The engine lacks a catalogue table or column, function or statement form a catalogue query used. */
export const mysqlMissingFeature: MissingFeature = (error) => missing(error, true);

/** For statements on the user's own tables: the engine lacks a function or statement form. */
export const mysqlUnsupported: MissingFeature = (error) => missing(error, false);
