/**
 * Issue #13: the headers that keep a browser from running, framing or sniffing what the server
 * sends, and the time bounds that keep a client from holding a request open by trickling it.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/index.ts';
import { jsonTryItOut } from '../../src/server/browser-guard.ts';
import { startServer } from '../../src/server/serve.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { type Api, useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const BASICS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** A connection that records what the server sent, and how long after opening it closed. */
function openSocket(url: string): {
  socket: Socket;
  received: () => string;
  closedAfter: () => number | undefined;
} {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let data = '';
  let closedAfter: number | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
  });
  socket.on('error', () => {});
  const opened = performance.now();
  socket.on('close', () => {
    closedAfter = performance.now() - opened;
  });
  return { socket, received: () => data, closedAfter: () => closedAfter };
}

/**
 * Write `text` a byte every `everyMs` until the server closes the connection; resolves with how
 * long after opening that was. Fails past `boundMs`, plus Node's checking interval (a quarter of
 * the bound), plus slack.
 */
async function trickleUntilClosed(
  connection: { socket: Socket; closedAfter: () => number | undefined },
  text: string,
  everyMs: number,
  boundMs: number,
): Promise<number> {
  const { socket, closedAfter } = connection;
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && i < text.length) socket.write(text[i++] as string);
  }, everyMs);
  try {
    return await waitFor(`the server to close a request trickling in`, closedAfter, {
      timeoutMs: boundMs * 1.25 + 2_000,
    });
  } finally {
    clearInterval(timer);
    socket.destroy();
  }
}

/** The download path of the artifact of a finished image.resize task. */
async function artifactPath(api: Api<typeof apiTasks>): Promise<string> {
  const task = await api.mill.submit('image.resize', {
    url: 'https://example.com/a.png',
    width: 3,
  });
  const worker = await api.mill.startWorker({ handleSignals: false });
  await api.mill.wait(task.id, { timeoutMs: 10_000 });
  await worker.stop();
  const listed = await api.request('GET', `/api/v1/tasks/${task.id}/artifacts`);
  const [artifact] = listed.json as Artifact[];
  return `/api/v1/tasks/${task.id}/artifacts/${artifact?.id}`;
}

describe('the headers a browser gets', () => {
  const start = useApi(SQLITE);

  it('sends CSP, nosniff, DENY and no-referrer on the API, its errors and artifact downloads', async () => {
    const api = await start(apiTasks);
    const download = await artifactPath(api);
    for (const path of [
      '/api/v1/tasks',
      '/api/openapi.json',
      '/api/v1/tasks/not-an-id',
      '/no/such/route',
      download,
    ]) {
      const answer = await rawRequest(api.server.url, 'GET', path);
      expect(answer.headers, path).toMatchObject(BASICS);
      const csp = String(answer.headers['content-security-policy']);
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain('sandbox');
      if (path !== download) continue;
      expect(answer.text).toBe('width 3');
      expect(answer.headers['content-disposition']).toBe(
        'attachment; filename="out.txt"; filename*=UTF-8\'\'out.txt',
      );
      expect(answer.headers['content-type']).toBe('application/octet-stream');
    }
  });

  it('closes at once after downloads on keep-alive connections', async () => {
    const api = await start(apiTasks);
    const download = await artifactPath(api);
    // Streamed with their length: the client has every byte before the server's side has ended,
    // and a close begun in that instant once waited on the connection for its keep-alive (72 s).
    for (let i = 0; i < 3; i++) {
      expect((await api.request('GET', download)).text).toBe('width 3');
    }
    const began = performance.now();
    await api.server.close();
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  it('lets /docs load its own scripts and styles, and nothing else', async () => {
    const api = await start(apiTasks);
    const page = await api.request('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(Object.fromEntries(page.headers)).toMatchObject(BASICS);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    // What that policy allows is all the page needs: scripts and styles from files of this
    // server, none written inline, each of them served.
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const files = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      expect(file, 'a file of this server').toMatch(/^\.\/static\//);
      const asset = await rawRequest(api.server.url, 'GET', `/docs/${file.slice(2)}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers['content-security-policy'], file).toBe(csp);
    }
    expect((await api.request('GET', '/docs/json')).status).toBe(200);
    // "Try it out" says JSON on a body-less change, as the server requires: the page runs the
    // function's source, so it must stand on its own.
    const script = await rawRequest(api.server.url, 'GET', '/docs/static/swagger-initializer.js');
    expect(script.text).toContain(`"requestInterceptor":${jsonTryItOut.toString()}`);
    const own = new Function(`return (${jsonTryItOut.toString()})`)() as typeof jsonTryItOut;
    expect(own({ method: 'post', headers: {} }).headers).toEqual({
      'Content-Type': 'application/json',
    });
    expect(own({ method: 'GET', headers: {} }).headers).toEqual({});
    const sent = { method: 'PUT', headers: { 'Content-Type': 'application/json; charset=utf-8' } };
    expect(own(sent).headers).toEqual(sent.headers);
  });
});

describe('requests that trickle in', () => {
  const start = useApi(SQLITE);
  const BOUNDS = { headersTimeoutMs: 300, requestTimeoutMs: 600 };

  it('answers 408 to a body that trickles in, within the bound, and stores nothing', async () => {
    const api = await start(apiTasks, BOUNDS);
    const { socket, received, closedAfter } = openSocket(api.server.url);
    const body = JSON.stringify({ type: 'sleep', input: { ms: 1 } });
    socket.write(
      `POST /api/v1/tasks HTTP/1.1\r\nHost: ${new URL(api.server.url).host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    const ms = await trickleUntilClosed({ socket, closedAfter }, body, 100, 600);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain('"code":"REQUEST_TIMEOUT"');
    expect(ms).toBeGreaterThanOrEqual(600);
    expect((await api.mill.list({})).tasks).toEqual([]);
  });

  it('answers 408 to headers that trickle in, within their own bound', async () => {
    const api = await start(apiTasks, BOUNDS);
    const { socket, received, closedAfter } = openSocket(api.server.url);
    const head = `GET /api/v1/tasks HTTP/1.1\r\nX-Slow: ${'x'.repeat(100)}`;
    const ms = await trickleUntilClosed({ socket, closedAfter }, head, 50, 300);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(300);
  });

  it('bounds requests only: an event stream and a long poll outlive the bound', async () => {
    const remoteWorkers = { maxWaitMs: 5_000, pollMs: 50 };
    const api = await start(apiTasks, { ...BOUNDS, remoteWorkers });
    const abort = new AbortController();
    const stream = await fetch(`${api.server.url}/api/v1/events?kind=task.status`, {
      signal: abort.signal,
    });
    let seen = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as ReadableStream<Uint8Array>) {
        seen += decoder.decode(chunk, { stream: true });
      }
    })().catch(() => {});
    try {
      const registration = await api.request('POST', '/api/v1/workers', {
        name: 'slow-poller',
        concurrency: 1,
        types: ['sleep'],
      });
      const me = registration.json as { workerId: string; workerSecret: string };
      const began = performance.now();
      const claim = await api.request(
        'POST',
        `/api/v1/workers/${me.workerId}/claim`,
        { limit: 1, waitMs: 3 * BOUNDS.requestTimeoutMs },
        { 'taskmill-worker-secret': me.workerSecret },
      );
      expect(claim.status, claim.text).toBe(200);
      expect(claim.json).toEqual({ tasks: [] });
      expect(performance.now() - began).toBeGreaterThanOrEqual(3 * BOUNDS.requestTimeoutMs - 50);
      // The stream, open for longer than the bound, still carries events.
      const task = await api.mill.submit('sleep', { ms: 1 });
      await waitFor('the event of the new task on the open stream', () => seen.includes(task.id));
    } finally {
      abort.abort();
      await reading;
    }
  });

  it('refuses bounds that do not fit together', async () => {
    const api = await start(apiTasks);
    for (const bad of [
      { headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 },
      { headersTimeoutMs: -1 },
      { requestTimeoutMs: 1.5 },
    ]) {
      await expect(startServer(api.mill, { port: 0, ...bad })).rejects.toMatchObject({
        code: 'OPTIONS_INVALID',
      });
    }
  });
});
