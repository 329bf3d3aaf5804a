// PostgreSQL's own way to cancel a running query: a CancelRequest on a new connection, naming the backend by the
// process id and secret key the server sent at startup (BackendKeyData). Unlike pg_cancel_backend() from a side
// session, it needs no login, and it works through a pooler: PgBouncer hands out keys of its own and forwards the
// request to the server connection its client is using at that moment (or drops it when the client has none).
import { connect } from 'node:net';

/** The CancelRequest code: 1234 in the high 16 bits, 5678 in the low ones. */
const CANCEL_REQUEST_CODE = 80877102;

export interface CancelTarget {
  /** A host name or address, or a directory holding the server's unix socket. */
  host: string;
  port: number;
  /** Gives up on a server that does not take the request within this long. */
  timeoutMillis: number;
}

/**
 * Sends one CancelRequest for (processId, secretKey) and resolves once the server has closed the connection (it
 * answers nothing else). Rejects when the server cannot be reached. The request is sent in the clear, as libpq does:
 * it carries no password, and servers accept it before any TLS or pg_hba.conf rule applies.
 */
export function sendCancelRequest(target: CancelTarget, processId: number, secretKey: number): Promise<void> {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve, reject) => {
    const socket = target.host.startsWith('/') ? connect(`${target.host}/.s.PGSQL.${target.port}`) : connect(target.port, target.host);
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${target.timeoutMillis} ms`)), target.timeoutMillis);
    // Not end(): the server closes the connection when it has passed the request on, and PgBouncer drops a request
    // whose sender hung up before that (1.18 even crashed on it now and then).
    socket.once('connect', () => socket.write(packet));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve();
    });
    socket.resume();
  });
}
