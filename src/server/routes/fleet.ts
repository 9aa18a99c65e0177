import type { FastifyInstance } from 'fastify';
import { STATUSES } from '../../core/status.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses } from '../schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const counts = {
  type: 'object',
  properties: Object.fromEntries(STATUSES.map((s) => [s, { type: 'integer' }])),
} as const;
const queueName = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' } },
} as const;
const queueSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    paused: { type: 'boolean' },
    concurrency: { type: ['integer', 'null'] },
    counts,
    oldestWaitingAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description:
        "When the queue's longest-waiting ready task became due (queued, or retrying with its backoff over); null when none waits",
    },
    oldestWaitingMs: {
      type: ['integer', 'null'],
      description: "How long that task has waited, by the server's clock; null when none waits",
    },
  },
} as const;
const ok = { type: 'object', properties: { ok: { type: 'boolean' } } } as const;

const integer = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const endings = {
  completed: integer,
  failed: { type: 'integer', description: 'Failed and timed-out attempts.' },
  total: { type: 'integer', description: 'Every attempt that ended, whatever its outcome.' },
} as const;
/** What `stats()` reports for every group: overall, one task type, one queue. */
const statsGroupProperties = {
  byStatus: counts,
  total: integer,
  successRate: {
    type: ['number', 'null'],
    description: 'completed / (completed + failed + timed_out); null before anything finished.',
  },
  durationMs: {
    type: 'object',
    description: "Over the newest 10,000 finished attempts overall (a group's share of them).",
    properties: { mean: number, p50: number, p95: number, p99: number, samples: integer },
  },
  lastMinute: { type: 'object', properties: { ...endings, perSecond: number } },
  hourly: {
    type: 'array',
    description:
      'The last 24 UTC hours, oldest first, the current hour last; empty hours are zeros.',
    items: {
      type: 'object',
      properties: { hour: dateTime, ...endings, meanDurationMs: number },
    },
  },
} as const;
const statsGroup = { type: 'object', properties: statsGroupProperties } as const;
const statsSchema = {
  type: 'object',
  properties: {
    ...statsGroupProperties,
    byType: {
      type: 'object',
      description: 'Task counts by type, then by status (only the statuses that occur).',
      additionalProperties: counts,
    },
    perType: { type: 'object', additionalProperties: statsGroup },
    perQueue: { type: 'object', additionalProperties: statsGroup },
    unservedTypes: {
      type: 'array',
      description: 'Task types with waiting tasks that no online worker can run.',
      items: { type: 'string' },
    },
  },
} as const;

/** Queues (counts, pause, resume, concurrency), workers (and the tasks each holds), stats. */
export function fleetRoutes(app: FastifyInstance, mill: Taskmill): void {
  app.get(
    '/api/v1/queues',
    {
      schema: {
        tags: ['queues'],
        operationId: 'listQueues',
        summary:
          'Queues with their task counts by status, pause state, concurrency limit and oldest waiting age',
        response: { 200: { type: 'array', items: queueSchema } },
      },
    },
    async () => {
      const queues = await mill.queues();
      const now = mill.clock.now();
      return queues.map((q) => ({
        ...q,
        oldestWaitingMs:
          q.oldestWaitingAt === null ? null : Math.max(0, now - q.oldestWaitingAt.getTime()),
      }));
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { name: string } }>(
      `/api/v1/queues/:name/${action}`,
      {
        schema: {
          tags: ['queues'],
          operationId: `${action}Queue`,
          summary:
            action === 'pause'
              ? 'Stop starting tasks of this queue (running ones go on)'
              : 'Start tasks of this queue again',
          params: queueName,
          response: { 200: ok, ...errorResponses(400) },
        },
      },
      async (request) => {
        if (action === 'pause') await mill.pauseQueue(request.params.name);
        else await mill.resumeQueue(request.params.name);
        return { ok: true };
      },
    );
  }

  app.put<{ Params: { name: string }; Body: { limit: number | null } }>(
    '/api/v1/queues/:name/concurrency',
    {
      schema: {
        tags: ['queues'],
        operationId: 'setQueueConcurrency',
        summary: 'Limit the tasks of this queue running at once across every worker (null: none)',
        params: queueName,
        body: {
          type: 'object',
          required: ['limit'],
          additionalProperties: false,
          properties: { limit: { type: ['integer', 'null'], minimum: 1, maximum: 100_000 } },
        },
        response: { 200: ok, ...errorResponses(400) },
      },
    },
    async (request) => {
      await mill.setQueueConcurrency(request.params.name, request.body.limit);
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/workers',
    {
      schema: {
        tags: ['workers'],
        operationId: 'listWorkers',
        summary: 'Workers with their state, load, last heartbeat and the tasks each holds',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                host: { type: 'string' },
                pid: { type: 'integer' },
                state: { type: 'string', enum: ['online', 'draining', 'offline'] },
                concurrency: { type: 'integer' },
                load: { type: 'number' },
                rssBytes: { type: 'integer' },
                types: { type: 'array', items: { type: 'string' } },
                queues: { type: ['array', 'null'], items: { type: 'string' } },
                version: { type: 'string' },
                startedAt: dateTime,
                lastHeartbeatAt: dateTime,
                unitType: { type: ['string', 'null'], description: 'Seed 002’s unitType.' },
                endpoint: {
                  type: ['string', 'null'],
                  description: 'Where a push unit takes its tasks; null for a worker that pulls.',
                },
                metadata: {
                  type: ['object', 'null'],
                  additionalProperties: true,
                  description: 'What its latest heartbeat reported (CPU, memory…), or null.',
                },
                tasks: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    async () => {
      const [workers, running] = await Promise.all([
        mill.workers(),
        mill.list({ status: 'running', limit: 1000 }),
      ]);
      return workers.map((w) => ({
        ...w,
        tasks: running.tasks.filter((t) => t.workerId === w.id).map((t) => t.id),
      }));
    },
  );

  app.get(
    '/api/v1/stats',
    {
      schema: {
        tags: ['stats'],
        operationId: 'stats',
        summary:
          'Counts, success rate, durations (mean, p50, p95, p99), the last minute and the last 24 hours: overall, per task type and per queue',
        response: { 200: statsSchema },
      },
    },
    async () => mill.stats(),
  );
}
