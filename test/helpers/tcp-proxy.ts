/**
 * A TCP relay the test owns between a client and a server: cutting it is an outage for whoever
 * connects through it (its connections drop, new ones are refused) while the server itself, and
 * everyone else's connections to it, are left alone. Stalling it is a half-open network: nothing
 * moves in either direction and nothing is closed (no FIN, no RST), as when a link or a firewall
 * silently drops every packet; resuming delivers what waited, as TCP's retransmissions would.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drop every relayed connection and stop accepting new ones. */
  cut(): Promise<void>;
  /** Stop reading and writing on every relayed connection, both ways, leaving them open; new
   * connections are accepted by the kernel but get no answer. */
  stall(): void;
  /** Forward again, on the connections that stalled and on those that arrived meanwhile. */
  resume(): void;
}

interface Pair {
  client: net.Socket;
  /** Null while a connection that arrived during a stall waits to be relayed. */
  upstream: net.Socket | null;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<Pair>();
  let stalled = false;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const relay = (pair: Pair) => {
    const upstream = pair.upstream ?? net.connect(target.port, target.host);
    if (pair.upstream === null) {
      pair.upstream = upstream;
      track(upstream);
      pair.client.on('close', () => upstream.destroy());
      upstream.on('close', () => pair.client.destroy());
    }
    pair.client.pipe(upstream).pipe(pair.client);
  };
  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    track(client);
    client.on('close', () => pairs.delete(pair));
    if (stalled) client.pause();
    else relay(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    stall() {
      stalled = true;
      for (const { client, upstream } of pairs) {
        client.unpipe();
        client.pause();
        upstream?.unpipe();
        upstream?.pause();
      }
    },
    resume() {
      stalled = false;
      for (const pair of pairs) relay(pair);
    },
  };
}
