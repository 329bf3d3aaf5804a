// A TCP relay for tests that must show what a client sent a server: it listens on 127.0.0.1, forwards every
// connection to the server's port, and keeps every byte the client sent. Clients reach it as 0.0.0.0, which Linux
// (and macOS) connect to this machine, yet which is not a loopback name: the datasources treat it as a server on
// another host, so a local throwaway server can stand in for a remote one.
import * as net from 'node:net';

export interface RecordingRelay {
  /** "0.0.0.0": this machine, but not a loopback address. */
  readonly host: string;
  readonly port: number;
  /** Everything clients sent through the relay since it started (or since `forget()`). */
  sent(): Buffer;
  forget(): void;
  close(): Promise<void>;
}

export async function startRecordingRelay(targetPort: number): Promise<RecordingRelay> {
  let chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client or server hanging up mid-test is expected; the other side is closed with it.
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    client.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: '0.0.0.0',
    port: (server.address() as net.AddressInfo).port,
    sent: () => Buffer.concat(chunks),
    forget: () => {
      chunks = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
