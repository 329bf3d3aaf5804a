// What every throwaway test server needs: a free port on 127.0.0.1, and a last-resort clean-up when the test run
// dies without calling stop().
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `cleanUp` on exit, or when the process is killed by SIGTERM/SIGHUP (then the signal is raised again so the
 * process still ends the way it was asked to). Returns the function that removes these hooks after a normal stop.
 */
export function cleanUpOnExit(cleanUp: () => void): () => void {
  const onExit = () => cleanUp();
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
  process.once('exit', onExit);
  for (const signal of signals) process.once(signal, onSignal);
  return () => {
    process.removeListener('exit', onExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
}
