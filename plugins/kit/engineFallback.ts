// Engines that speak PostgreSQL's or MySQL's protocol (CockroachDB, YugabyteDB, Citus, TiDB, Vitess) lack some of the
// catalogue functions, relations and statements Nocoflo uses for details: a partition tree, a planner estimate, a
// sampled chart. Such a detail is worth having, never worth failing a table for. Each optional query is run through
// withFallback with a name, and when the engine answers "no such function / relation / feature", the named fallback
// (a plainer query, or nothing) answers instead. See docs/compatibility.md for every one and why.

/** Says whether an error is the engine's "this does not exist / is not supported here", not a real failure. */
export type MissingFeature = (error: unknown) => boolean;

/** The error and the errors it was mapped from (DatasourceError.cause), outermost first. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== 'object') break;
  }
  return chain;
}

/**
 * Which optional features failed on this connection's engine. Once one has, its fallback is used directly: the
 * primary would fail the same way again, and inside a PostgreSQL transaction a failed statement aborts the
 * transaction, so it must not be tried there.
 */
export class EngineFallbacks {
  private readonly missing = new Map<string, string>();

  constructor(private readonly onFallback?: (kind: string, reason: string) => void) {}

  /** The features that fell back, with the engine's message for each. */
  get taken(): ReadonlyMap<string, string> {
    return this.missing;
  }

  has(kind: string): boolean {
    return this.missing.has(kind);
  }

  record(kind: string, error: unknown): void {
    if (this.missing.has(kind)) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.missing.set(kind, reason);
    this.onFallback?.(kind, reason);
  }
}

/**
 * Runs `primary`; if the engine says it lacks what `primary` uses (`isMissing`), runs `fallback` instead and
 * remembers the kind in `fallbacks`. Every other error (cancelled, connection lost, permission…) passes unchanged.
 */
export async function withFallback<T>(
  kind: string,
  primary: () => Promise<T>,
  fallback: () => Promise<T> | T,
  options: { isMissing: MissingFeature; fallbacks?: EngineFallbacks },
): Promise<T> {
  if (options.fallbacks?.has(kind)) return fallback();
  try {
    return await primary();
  } catch (error) {
    if (!options.isMissing(error)) throw error;
    options.fallbacks?.record(kind, error);
    return fallback();
  }
}
