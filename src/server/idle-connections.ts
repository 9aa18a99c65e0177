/**
 * A shutdown that does not wait on idle connections. Node's `server.close()` closes the
 * keep-alive connections that are idle at that moment (fastify's default `forceCloseConnections:
 * 'idle'` leaves it to Node), but two kinds slip past it and hold the close open until a timeout
 * (fastify keeps an idle keep-alive connection for 72 s):
 * - a connection that never carried a request: fetch's pool connects for a request, and keeps
 *   the connection when that request is aborted while it connects (a `wait` that is already
 *   over ends its event stream at once);
 * - a connection whose last response ends after the close began (an event stream the close
 *   ended, a request that was still running).
 * Both are closed here: the first when the shutdown begins, the second once its response is
 * done. A request in flight is left to finish.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Starts following `server`'s connections; call the returned function as the shutdown begins. */
export function closeIdleOnShutdown(server: Server): () => void {
  /** Requests in flight on each open connection. */
  const inFlight = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    // Accepted between the start of the shutdown and the listener's close: nothing to serve.
    if (closing) {
      socket.destroy();
      return;
    }
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    const count = inFlight.get(socket);
    if (count === undefined) return;
    inFlight.set(socket, count + 1);
    response.once('close', () => {
      const left = inFlight.get(socket);
      // The connection went first: nothing is left to count or close.
      if (left === undefined) return;
      inFlight.set(socket, left - 1);
      // end, not destroy: what the response wrote may still be on its way out.
      if (closing && left === 1) socket.end();
    });
  });
  return () => {
    closing = true;
    for (const [socket, count] of inFlight) if (count === 0) socket.destroy();
  };
}
