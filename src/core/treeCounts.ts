import type { RowCount } from '../../api';

/** Counts beyond this show as "10,000+": an exact count of a huge table is not worth its cost in a list. */
export const TREE_COUNT_CAP = 10_000;

/** How long the sidebar waits for one table's row count before showing it as unknown. */
export const TREE_COUNT_BUDGET_MS = 5_000;

export type CountOutcome = { kind: 'counted'; count: RowCount } | { kind: 'timed out' } | { kind: 'failed'; error: unknown };

const codeOf = (error: unknown) => (error as { code?: unknown } | undefined)?.code;

/**
 * Runs `count` with an AbortSignal that fires after `budgetMs`, and stops waiting then even if the datasource ignores
 * the signal. A count that overran (our budget, or the datasource's own, code 'timeout') is an expected outcome for a
 * huge table or an endless view, not an error: the tree shows it as unknown and logs nothing.
 */
export function countWithin(count: (signal: AbortSignal) => Promise<RowCount>, budgetMs: number): Promise<CountOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<CountOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'timed out' });
    }, budgetMs);
  });
  const counted = (async (): Promise<CountOutcome> => {
    try {
      return { kind: 'counted', count: await count(controller.signal) };
    } catch (error) {
      if (codeOf(error) === 'timeout' || controller.signal.aborted) return { kind: 'timed out' };
      return { kind: 'failed', error };
    }
  })();
  return Promise.race([counted, overran]).finally(() => clearTimeout(timer));
}
