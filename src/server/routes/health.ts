import type { FastifyInstance } from 'fastify';
import type { Taskmill, WorkerHandle } from '../../mill/types.ts';

/** What readiness checks beside the database: the embedded worker's heartbeat is recent. */
export interface Readiness {
  worker: WorkerHandle | null;
  /** A heartbeat older than this means the worker's loop is stuck or dead. */
  staleAfterMs: number;
}

/**
 * `/health`: the process answers (liveness, no database call). `/health/ready`: the server can
 * take work: the database answers, and the embedded worker's last heartbeat in the database is
 * recent; a worker whose loop died (a zombie) stops being ready; on PostgreSQL, its LISTEN
 * connection for wake-ups is up.
 */
export function healthRoutes(app: FastifyInstance, mill: Taskmill, readiness: Readiness): void {
  const check = {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      checks: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
  app.get(
    '/health',
    { schema: { tags: ['health'], operationId: 'health', response: { 200: check } } },
    async () => ({ status: 'ok', checks: {} }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        operationId: 'ready',
        response: { 200: check, 503: check },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      let ok = true;
      try {
        const workers = await mill.workers();
        checks['database'] = 'ok';
        if (readiness.worker) {
          const me = workers.find((w) => w.id === readiness.worker?.id);
          const age = me ? Date.now() - me.lastHeartbeatAt.getTime() : Number.POSITIVE_INFINITY;
          if (me && me.state === 'online' && age <= readiness.staleAfterMs) {
            checks['worker'] = 'ok';
          } else {
            ok = false;
            checks['worker'] = me
              ? `last heartbeat ${Math.round(age)} ms ago (${me.state})`
              : 'not registered';
          }
        }
        // Its worker subscribes to wake-ups; without them it would see other processes' work
        // only at its fallback poll.
        const listening = readiness.worker ? mill.listening() : null;
        if (listening !== null) {
          checks['listen'] = listening ? 'ok' : 'not connected (reconnecting)';
          if (!listening) ok = false;
        }
      } catch (error) {
        ok = false;
        checks['database'] = error instanceof Error ? error.message : String(error);
      }
      reply.status(ok ? 200 : 503);
      return { status: ok ? 'ok' : 'unavailable', checks };
    },
  );
}
