/**
 * The load generator's two HTTP/1.1 clients, each a set of lanes with one keep-alive connection
 * per lane and one request in flight per connection (no pipelining):
 *
 * - `raw`: a `net.Socket` per lane that writes the request head and body in one write and reads
 *   only the status line, `Content-Length` and that many bytes. It costs a fraction of node:http
 *   per request, which matters on two cores: node:http measured 120–150 µs of CPU per request
 *   here, so at 10,000 requests/s the generator alone would need more than one core.
 * - `node`: node:http with a keep-alive Agent, as a cross-check that `raw` measures the same.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';

export type ClientKind = 'raw' | 'node';
/** Send one POST; resolves with the status and, for anything but 201, the body's start. */
export type Post = (body: Buffer) => Promise<{ status: number; text: string }>;

export interface Lanes {
  posts: Post[];
  close(): void;
}

export async function openLanes(
  kind: ClientKind,
  url: string,
  path: string,
  count: number,
): Promise<Lanes> {
  if (kind === 'node') return nodeLanes(url, path, count);
  const conns = await Promise.all(
    Array.from({ length: count }, () => RawConnection.open(new URL(url), path)),
  );
  return {
    posts: conns.map((c) => (body) => c.post(body)),
    close: () => conns.map((c) => c.end()),
  };
}

function nodeLanes(url: string, path: string, count: number): Lanes {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const post: Post = (body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          if (status === 201) res.resume();
          else res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { posts: Array.from({ length: count }, () => post), close: () => agent.destroy() };
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that sends a request only once the last response has been read. */
class RawConnection {
  private readonly prefix: string;
  private waiting: {
    resolve: (r: { status: number; text: string }) => void;
    reject: (e: Error) => void;
  } | null = null;
  // Reading the head: the bytes so far. Reading the body: null, and `remaining` bytes to go.
  private head: Buffer | null = null;
  private remaining = -1;
  private status = 0;
  private body: Buffer[] | null = null;

  private readonly socket: Socket;

  private constructor(socket: Socket, target: URL, path: string) {
    this.socket = socket;
    this.prefix = `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: `;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(target: URL, path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket, target, path));
      });
      socket.once('error', reject);
    });
  }

  post(body: Buffer): Promise<{ status: number; text: string }> {
    if (this.waiting) return Promise.reject(new Error('one request at a time per connection'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(`${this.prefix}${body.length}\r\n\r\n`), body]));
    });
  }

  end(): void {
    this.waiting = null;
    this.socket.destroy();
  }

  private fail(error: Error): void {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(error);
  }

  private read(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0) {
      if (this.remaining < 0) {
        const head = this.head ? Buffer.concat([this.head, rest]) : rest;
        const end = head.indexOf(HEAD_END);
        if (end < 0) {
          this.head = head;
          return;
        }
        this.head = null;
        const text = head.toString('latin1', 0, end);
        this.status = Number(text.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
        // Fastify answers JSON with a length; a chunked answer would need a parser this is not.
        if (length === undefined) {
          this.fail(new Error(`no Content-Length in the response: ${text.slice(0, 200)}`));
          this.socket.destroy();
          return;
        }
        this.remaining = Number(length);
        this.body = this.status === 201 ? null : [];
        rest = head.subarray(end + HEAD_END.length);
      }
      const take = Math.min(this.remaining, rest.length);
      this.body?.push(rest.subarray(0, take));
      this.remaining -= take;
      rest = rest.subarray(take);
      if (this.remaining === 0) {
        this.remaining = -1;
        const w = this.waiting;
        this.waiting = null;
        w?.resolve({
          status: this.status,
          text: this.body ? Buffer.concat(this.body).toString() : '',
        });
      }
    }
  }
}
