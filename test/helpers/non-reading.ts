/**
 * Event-stream clients that ask for the stream and then never read, over raw sockets (the
 * kernel's buffers fill, then the server's), and the /metrics gauges that show what they cost.
 */
import { connect, type Socket } from 'node:net';

/** Ask for /api/v1/events on `url`, read the first chunk and never read again. `sockets` gets
 * the socket at once, for the test to destroy. */
export function openNonReading(
  url: string,
  sockets: Socket[],
): Promise<{ socket: Socket; head: string }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  socket.write('GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause(); // and never read again
      // Dropped by the server later on: that is what the tests look for, not a failure.
      socket.off('error', reject).on('error', () => {});
      resolve({ socket, head: chunk.toString() });
    });
  });
}

/** The value of `name` (with its labels, if any, as written) in the server's /metrics. */
export async function gauge(serverUrl: string, name: string): Promise<number> {
  const text = await (
    await fetch(`${serverUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })
  ).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics:\n${text}`);
  return Number(line.slice(name.length + 1));
}
