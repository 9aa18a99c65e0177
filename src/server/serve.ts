import type { AddressInfo } from 'node:net';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { checkOptions, is, type OptionSpec, optionSpec, valueRule } from '../core/options-check.ts';
import type { Taskmill, WorkerHandle } from '../mill/types.ts';
import { REMOTE_WORKERS_SPEC, type RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import {
  buildApp,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  eventClientsOf,
} from './app.ts';
import type { AccessToken } from './auth.ts';
import { checkAllowedHosts, hostAllowed } from './browser-guard.ts';
import { EVENT_STREAM_SPEC, type EventStreamOptions } from './event-stream.ts';
import { closeIdleOnShutdown } from './idle-connections.ts';

export interface ServeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Another address needs tokens, or `allowNoAuth`. */
  host?: string;
  /** Serve on a non-loopback address without tokens, knowingly. */
  allowNoAuth?: boolean;
  /** Access tokens with scopes; with some, every route but /health needs one. */
  tokens?: readonly AccessToken[];
  bodyLimit?: number;
  logger?: boolean;
  /** Where an unexpected failure (a 500, the database's errors) is written with its request id,
   * stack and cause, whether `logger` is on or not. Default process.stderr. */
  errorLog?: { write(text: string): unknown };
  /** The embedded worker, whose heartbeat `/health/ready` checks. */
  worker?: WorkerHandle | null;
  /** A heartbeat older than this makes `/health/ready` answer 503. Default 10 s. */
  staleAfterMs?: number;
  events?: EventStreamOptions;
  /** Lease and long-poll timing of the remote worker protocol. */
  remoteWorkers?: RemoteWorkersOptions;
  /**
   * Host names to answer besides loopback and `host` itself, such as the name a proxy or DNS
   * gives the server; `'*'` answers any. Any other `Host` is refused (421), which keeps
   * DNS-rebinding pages out.
   */
  allowedHosts?: readonly string[];
  /** Time for a request's headers to arrive, else 408. Default 20 s; 0: no bound. */
  headersTimeoutMs?: number;
  /** Time for a whole request (headers and body) to arrive, else 408. Default 60 s; 0: no bound.
   * An answer may take longer: event streams and long polls are not bound by it. */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  /** Clients following `/api/v1/events` now. */
  eventClients(): number;
  close(): Promise<void>;
}

const SERVE_OPTIONS_SPEC: OptionSpec = optionSpec<ServeOptions>({
  port: is.whole(0, 65_535),
  host: is.string,
  allowNoAuth: is.boolean,
  allowedHosts: is.array,
  headersTimeoutMs: is.whole(0),
  requestTimeoutMs: is.whole(0),
  tokens: is.array,
  bodyLimit: is.whole(1),
  logger: is.boolean,
  errorLog: valueRule(
    'a writable stream (an object with write(text))',
    (v) => typeof (v as { write?: unknown }).write === 'function',
  ),
  worker: valueRule(
    'a worker handle (from startWorker) or null',
    (v) => v === null || typeof (v as { pools?: unknown }).pools === 'function',
  ),
  staleAfterMs: is.ms(1),
  events: EVENT_STREAM_SPEC,
  remoteWorkers: REMOTE_WORKERS_SPEC,
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function checkTimeouts(options: ServeOptions): {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
} {
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  for (const [name, ms] of [
    ['headersTimeoutMs', headersTimeoutMs],
    ['requestTimeoutMs', requestTimeoutMs],
  ] as const) {
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new ValidationError('OPTIONS_INVALID', `${name} must be a whole number of ms ≥ 0.`, [
        { path: name, message: 'expected an integer ≥ 0' },
      ]);
    }
  }
  // Node refuses this pair: the headers are part of the request.
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      `headersTimeoutMs (${headersTimeoutMs}) must be at most requestTimeoutMs (${requestTimeoutMs}).`,
      [{ path: 'headersTimeoutMs', message: 'expected at most requestTimeoutMs' }],
    );
  }
  return { headersTimeoutMs, requestTimeoutMs };
}

/** Start the HTTP API for `mill`; resolves once it listens. */
export async function startServer(
  mill: Taskmill,
  options: ServeOptions = {},
): Promise<RunningServer> {
  checkOptions(SERVE_OPTIONS_SPEC, options, 'options');
  const host = options.host ?? '127.0.0.1';
  const tokens = options.tokens ?? [];
  if (!LOOPBACK.has(host) && tokens.length === 0 && !options.allowNoAuth) {
    throw new TaskmillError(
      'OPTIONS_INVALID',
      `Refusing to serve on ${host} without access tokens: anyone who can reach it could submit and cancel tasks. Configure tokens (--tokens FILE or TASKMILL_TOKENS), serve on 127.0.0.1, or pass --allow-no-auth if something in front of it checks access.`,
      { details: { host } },
    );
  }
  const timeouts = checkTimeouts(options);
  const app = await buildApp(mill, {
    ...timeouts,
    hostAllowed: hostAllowed(host, checkAllowedHosts(options.allowedHosts ?? [])),
    bodyLimit: options.bodyLimit,
    logger: options.logger,
    errorLog: options.errorLog ? (text) => options.errorLog?.write(text) : undefined,
    readiness: { worker: options.worker ?? null, staleAfterMs: options.staleAfterMs ?? 10_000 },
    tokens,
    events: options.events,
    remoteWorkers: options.remoteWorkers,
  });
  // After the app's own preClose, which ends the event streams: their connections then go idle.
  const closeIdle = closeIdleOnShutdown(app.server);
  app.addHook('preClose', async () => closeIdle());
  try {
    await app.listen({ port: options.port ?? 3000, host });
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code;
    throw new TaskmillError(
      'OPTIONS_INVALID',
      code === 'EADDRINUSE'
        ? `Port ${options.port ?? 3000} on ${host} is taken by another program: pass another --port (0 picks a free one).`
        : `Could not listen on ${host}:${options.port ?? 3000}: ${(error as Error).message}`,
      { details: { host, port: options.port ?? 3000 }, cause: error },
    );
  }
  const { port } = app.server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    eventClients: () => eventClientsOf(app),
    close: () => app.close(),
  };
}
