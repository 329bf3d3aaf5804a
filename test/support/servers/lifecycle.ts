// What every throwaway test server needs: a free port on 127.0.0.1, and a last-resort clean-up when the test run
// dies without calling stop().
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The kernel's range for ports it hands out by itself (bind to port 0, the source port of every connection). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // Not Linux: assume the IANA range.
  }
  return [49152, 65535];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Every port handed out by this process: never the same one twice, even before its server has bound it. */
const handedOut = new Set<number>();

/**
 * A port on 127.0.0.1 that is free now and that nothing else will take before the server binds it: outside the
 * kernel's ephemeral range, so no outgoing connection gets it as its source port in between (a Galera node's
 * state transfer opens many; one took the port a node was about to listen on, and the node aborted), and never one
 * this process handed out already. Ports from bind(0) would be in that range.
 */
export async function freePort(): Promise<number> {
  const [low, high] = ephemeralRange();
  const [from, to] = low - 10_000 >= 2_000 ? [10_000, low] : [high + 1, 65_536];
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`No free port on 127.0.0.1 between ${from} and ${to - 1} after 500 tries.`);
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
