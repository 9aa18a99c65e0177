import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { Taskmill, WorkerHandle } from '../../mill/types.ts';
import type { EndpointHealth } from '../../worker/remote/push-dispatcher.ts';

/** What readiness checks beside the database: the embedded worker's heartbeat is recent. */
export interface Readiness {
  worker: WorkerHandle | null;
  /** A heartbeat older than this means the worker's loop is stuck or dead. */
  staleAfterMs: number;
  /** The push endpoints' last results; absent: none are known. */
  endpoints?: () => EndpointHealth[];
}

/** One dependency of the server, as `/health/ready` lists it. */
export interface DependencyHealth {
  name: 'store' | 'wakeups' | 'worker';
  /** `idle`: nothing in this process needs it now (no subscriber of wake-ups). */
  state: 'up' | 'down' | 'idle';
  /** A dependency that is down makes the server unready (503). */
  required: boolean;
  /** How long the check took (the store's query), or null where nothing was timed. */
  latencyMs: number | null;
  detail: string | null;
}

/** A store that does not answer within this long is down for the check. */
const STORE_CHECK_TIMEOUT_MS = 5_000;

const dependency = {
  type: 'object',
  properties: {
    name: { type: 'string', enum: ['store', 'wakeups', 'worker'] },
    state: { type: 'string', enum: ['up', 'down', 'idle'] },
    required: { type: 'boolean' },
    latencyMs: { type: ['number', 'null'] },
    detail: { type: ['string', 'null'] },
  },
} as const;
const endpointSchema = {
  type: 'object',
  properties: {
    workerId: { type: 'string' },
    endpoint: { type: 'string' },
    state: { type: 'string', enum: ['up', 'down'] },
    latencyMs: { type: ['number', 'null'] },
    at: { type: 'string', format: 'date-time' },
    detail: { type: ['string', 'null'] },
  },
} as const;
const check = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: {
      type: 'object',
      description: 'Each dependency in a word: "ok", or what is wrong.',
      additionalProperties: { type: 'string' },
    },
    dependencies: { type: 'array', items: dependency },
    endpoints: {
      type: 'array',
      description: "Push units' endpoints, as their last delivery found them (never required).",
      items: endpointSchema,
    },
  },
} as const;

function since(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/** The store answers a query (the worker list) within the bound; its time in ms. */
async function storeCheck(
  mill: Taskmill,
): Promise<{ dep: DependencyHealth; workers: WorkerInfo[] | null }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${STORE_CHECK_TIMEOUT_MS} ms`)),
        STORE_CHECK_TIMEOUT_MS,
      );
    });
    const workers = await Promise.race([mill.workers(), timeout]);
    const dep: DependencyHealth = {
      name: 'store',
      state: 'up',
      required: true,
      latencyMs: since(start),
      detail: null,
    };
    return { dep, workers };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const dep: DependencyHealth = {
      name: 'store',
      state: 'down',
      required: true,
      latencyMs: since(start),
      detail,
    };
    return { dep, workers: null };
  } finally {
    clearTimeout(timer);
  }
}

function workerCheck(readiness: Readiness, workers: WorkerInfo[]): DependencyHealth {
  const me = workers.find((w) => w.id === readiness.worker?.id);
  const age = me ? Date.now() - me.lastHeartbeatAt.getTime() : Number.POSITIVE_INFINITY;
  const up = me !== undefined && me.state === 'online' && age <= readiness.staleAfterMs;
  const detail = me ? `last heartbeat ${Math.round(age)} ms ago (${me.state})` : 'not registered';
  return {
    name: 'worker',
    state: up ? 'up' : 'down',
    required: true,
    latencyMs: null,
    detail: up ? null : detail,
  };
}

/** Where the store has a cross-process wake-up channel (PostgreSQL LISTEN). Its worker
 * subscribes; without wake-ups it would see other processes' work only at its fallback poll. */
function wakeupCheck(mill: Taskmill, readiness: Readiness): DependencyHealth | null {
  const listening = mill.listening();
  if (listening === null) return null;
  const required = readiness.worker !== null;
  if (listening) return { name: 'wakeups', state: 'up', required, latencyMs: null, detail: null };
  return required
    ? {
        name: 'wakeups',
        state: 'down',
        required,
        latencyMs: null,
        detail: 'not connected (reconnecting)',
      }
    : { name: 'wakeups', state: 'idle', required, latencyMs: null, detail: 'no subscriber' };
}

/** The `checks` words of earlier versions, kept for scripts that read them. */
function words(deps: readonly DependencyHealth[]): Record<string, string> {
  const name = { store: 'database', worker: 'worker', wakeups: 'listen' } as const;
  const out: Record<string, string> = {};
  for (const d of deps) {
    if (d.state === 'idle') continue;
    out[name[d.name]] = d.state === 'up' ? 'ok' : (d.detail ?? 'down');
  }
  return out;
}

function answer(deps: DependencyHealth[], endpoints: EndpointHealth[]) {
  const ok = deps.every((d) => !d.required || d.state !== 'down');
  return {
    ok,
    body: { status: ok ? 'ok' : 'unavailable', checks: words(deps), dependencies: deps, endpoints },
  };
}

/**
 * `/health`: the process answers (liveness, no database call). `/health/ready`: the server can
 * take work; each dependency with its state and latency: the store answers a query, the
 * embedded worker's last heartbeat in the database is recent (a worker whose loop died stops
 * being ready), and on PostgreSQL its LISTEN connection for wake-ups is up; push endpoints are
 * listed as their last delivery found them, never required. `/health/database`: the store
 * alone.
 */
export function healthRoutes(app: FastifyInstance, mill: Taskmill, readiness: Readiness): void {
  const tags = ['health'];
  app.get(
    '/health',
    { schema: { tags, operationId: 'health', response: { 200: check } } },
    async () => ({ status: 'ok', checks: {} }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        tags,
        operationId: 'ready',
        summary: 'Each dependency with its state and latency; 503 when a required one is down',
        response: { 200: check, 503: check },
      },
    },
    async (_request, reply) => {
      const { dep, workers } = await storeCheck(mill);
      const deps = [dep];
      if (workers !== null) {
        if (readiness.worker) deps.push(workerCheck(readiness, workers));
        const wakeups = wakeupCheck(mill, readiness);
        if (wakeups) deps.push(wakeups);
      }
      const { ok, body } = answer(deps, readiness.endpoints?.() ?? []);
      reply.status(ok ? 200 : 503);
      return body;
    },
  );
  app.get(
    '/health/database',
    {
      schema: {
        tags,
        operationId: 'databaseHealth',
        summary: 'The store alone: 200 when it answers a query (with its latency), 503 when not',
        response: { 200: check, 503: check },
      },
    },
    async (_request, reply) => {
      const { ok, body } = answer([(await storeCheck(mill)).dep], []);
      reply.status(ok ? 200 : 503);
      const { endpoints: _, ...rest } = body;
      return rest;
    },
  );
}
