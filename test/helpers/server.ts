import { afterEach } from 'vitest';
import type { AnyTaskDefinition, Taskmill } from '../../src/index.ts';
import { type RunningServer, type ServeOptions, startServer } from '../../src/server/serve.ts';
import type { Backend } from './backends.ts';
import { type OpenOptions, useMills } from './mill.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface Api<D extends readonly AnyTaskDefinition[]> {
  mill: Taskmill<D>;
  server: RunningServer;
  /** The mill's database, for reading it through a connection of the test's own. */
  dbUrl: string;
  /** A request over a real socket; `body` is sent as JSON unless it is a string, and a change
   * (any method but GET and HEAD) says `content-type: application/json` unless `headers` do. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
}

/** A mill on a fresh database of `backend` with the HTTP API on a free port of 127.0.0.1. */
export function useApi(backend: Backend) {
  const open = useMills(backend);
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  return async <const D extends readonly AnyTaskDefinition[]>(
    tasks: D,
    options: ServeOptions = {},
    millOptions: OpenOptions = {},
  ): Promise<Api<D>> => {
    const mill = await open(tasks, millOptions);
    const server = await startServer(mill, { port: 0, ...options });
    servers.push(server);
    return {
      mill,
      server,
      dbUrl: mill.dbUrl,
      async request(method, path, body, headers = {}) {
        // A hung request fails naming itself, not as the whole test's timeout.
        const init: RequestInit = {
          method,
          headers: { ...headers },
          signal: AbortSignal.timeout(10_000),
        };
        if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
        // As every client must: a change goes as JSON, with a body or without (security.md).
        if (body !== undefined || (method !== 'GET' && method !== 'HEAD')) {
          init.headers = { 'content-type': 'application/json', ...headers };
        }
        let response: Response;
        let text: string;
        try {
          response = await fetch(`${server.url}${path}`, init);
          text = await response.text();
        } catch (error) {
          throw new Error(`${method} ${path} failed: ${String(error)}`, { cause: error });
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        return { status: response.status, headers: response.headers, text, json };
      },
    };
  };
}
