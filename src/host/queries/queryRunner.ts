// The seam between where statements come from (SQL editors, history, saved queries, the tree) and what runs them
// (roles, read-only enforcement, confirmations, audit, result tabs). Callers hand over text; only the runner decides.

/** Where a statement was run from, so errors can point into the document. */
export interface StatementSource {
  /** The document's URI as a string. */
  uri: string;
  /** Offset of the statement's first character in the document. */
  offset: number;
}

export interface RunQueryRequest {
  datasourceId: string;
  /** One statement, as written (no trailing semicolon needed). */
  text: string;
  /** Title of the result tab: a saved query's name, or the statement's first words. */
  title?: string;
  source?: StatementSource;
  /** Set when the statement is a saved query being opened (its result tab comes back after a reload). */
  savedQuery?: string;
  /** Open the result in this view rather than the preferred one. */
  viewId?: string;
}

export type RunQueryOutcome =
  /** The statement's rows opened (or focused) in a result tab. */
  | { kind: 'result' }
  /** The statement ran once: a data or schema change, or rows that cannot be paged. */
  | { kind: 'executed'; rowsAffected?: number; message: string }
  /** The user declined a confirmation or cancelled the run. */
  | { kind: 'cancelled'; message: string }
  /** Refused or failed; `position` is 1-based within `text` when the database said where. */
  | { kind: 'failed'; code: string; message: string; position?: { line: number; column: number } };

/** One finished run, for the history. */
export interface QueryRun {
  datasourceId: string;
  text: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  outcome: RunQueryOutcome['kind'];
  rowsAffected?: number;
  error?: string;
}

export interface QueryRunner {
  run(request: RunQueryRequest, signal?: AbortSignal): Promise<RunQueryOutcome>;
  /** Fires after every run, whatever its outcome. */
  onDidRun(listener: (run: QueryRun) => void): { dispose(): void };
}
