import type { AddressInfo } from 'node:net';
import { TaskmillError } from '../core/errors.ts';
import { checkOptions, is, type OptionSpec, optionSpec, valueRule } from '../core/options-check.ts';
import type { Taskmill, WorkerHandle } from '../mill/types.ts';
import { REMOTE_WORKERS_SPEC, type RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import { buildApp, eventClientsOf } from './app.ts';
import type { AccessToken } from './auth.ts';
import { EVENT_STREAM_SPEC, type EventStreamOptions } from './event-stream.ts';

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
  /** The embedded worker, whose heartbeat `/health/ready` checks. */
  worker?: WorkerHandle | null;
  /** A heartbeat older than this makes `/health/ready` answer 503. Default 10 s. */
  staleAfterMs?: number;
  events?: EventStreamOptions;
  /** Lease and long-poll timing of the remote worker protocol. */
  remoteWorkers?: RemoteWorkersOptions;
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
  tokens: is.array,
  bodyLimit: is.whole(1),
  logger: is.boolean,
  worker: valueRule(
    'a worker handle (from startWorker) or null',
    (v) => v === null || typeof (v as { pools?: unknown }).pools === 'function',
  ),
  staleAfterMs: is.ms(1),
  events: EVENT_STREAM_SPEC,
  remoteWorkers: REMOTE_WORKERS_SPEC,
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

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
  const app = await buildApp(mill, {
    bodyLimit: options.bodyLimit,
    logger: options.logger,
    readiness: { worker: options.worker ?? null, staleAfterMs: options.staleAfterMs ?? 10_000 },
    tokens,
    events: options.events,
    remoteWorkers: options.remoteWorkers,
  });
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
