// A user's statement can run for as long as the database lets it; the connection's statement timeout is the time
// budget after which Nocoflo cancels it on the server (through the datasource's abort handling) and says so.
import { nocofloError } from '../pluginErrors';

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Runs `work` with a signal that aborts when `signal` does or when `timeoutMs` passes (none when 0 or undefined). A
 * run stopped by the timeout fails with code 'timeout' naming the budget, whatever the datasource reported.
 */
export async function withStatementTimeout<T>(timeoutMs: number | undefined, signal: AbortSignal | undefined, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!timeoutMs || timeoutMs <= 0 || !Number.isFinite(timeoutMs)) return work(signal);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', forward, { once: true });
  try {
    return await work(controller.signal);
  } catch (error) {
    if (timedOut) {
      throw nocofloError('timeout', `The statement ran longer than this connection's statement timeout (${seconds(timeoutMs)}) and was cancelled. Change the timeout in the setting nocoflo.queries.timeoutSeconds.`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}
