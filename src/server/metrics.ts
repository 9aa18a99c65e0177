/**
 * `/metrics` in Prometheus text format. Counts that must be right across processes (tasks by
 * status, type and queue; queue depth and the age of the oldest queued task; workers by state)
 * are read from the store at each scrape. What happens in this process (task durations, claim
 * latency, stale writes refused, pipeline runs and steps) is counted from its events.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Taskmill } from '../mill/types.ts';
import { countPipelineEvents } from './pipeline-metrics.ts';

/** What the event stream holds now, read at each scrape. */
export interface EventStreamGauges {
  readonly size: number;
  readonly bufferedBytes: number;
  readonly peakBufferedBytes: number;
  readonly droppedClients: Readonly<Record<string, number>>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly unsubscribe: (() => void)[];

  constructor(mill: Taskmill, events?: EventStreamGauges) {
    const registry = this.registry;
    if (events) {
      new Gauge({
        name: 'taskmill_event_clients',
        help: 'Clients following /api/v1/events on this server now.',
        registers: [registry],
        collect() {
          this.set(events.size);
        },
      });
      new Gauge({
        name: 'taskmill_event_buffered_bytes',
        help: "Bytes waiting for event-stream clients' sockets on this server, all together.",
        registers: [registry],
        collect() {
          this.set(events.bufferedBytes);
        },
      });
      new Gauge({
        name: 'taskmill_event_buffered_bytes_peak',
        help: "The most bytes that have waited for event-stream clients' sockets at once on this server.",
        registers: [registry],
        collect() {
          this.set(events.peakBufferedBytes);
        },
      });
      new Counter({
        name: 'taskmill_event_clients_dropped_total',
        help: "Event-stream clients dropped for not reading: their own bytes waiting (client_buffer) or all clients' together (total_buffer) were past the cap.",
        labelNames: ['reason'],
        registers: [registry],
        collect() {
          this.reset();
          for (const [reason, n] of Object.entries(events.droppedClients)) this.inc({ reason }, n);
        },
      });
    }
    const tasks = new Gauge({
      name: 'taskmill_tasks',
      help: 'Tasks in the store, by type and status.',
      labelNames: ['type', 'status'],
      registers: [registry],
    });
    const queued = new Gauge({
      name: 'taskmill_queue_tasks',
      help: 'Tasks in the store, by queue and status.',
      labelNames: ['queue', 'status'],
      registers: [registry],
    });
    const oldest = new Gauge({
      name: 'taskmill_queue_oldest_queued_seconds',
      help: 'How long the oldest task that is due has waited in its queue, in seconds.',
      labelNames: ['queue'],
      registers: [registry],
    });
    const workers = new Gauge({
      name: 'taskmill_workers',
      help: 'Registered workers, by state (online, draining, offline).',
      labelNames: ['state'],
      registers: [registry],
    });
    const collect = async (): Promise<void> => {
      const [stats, queues, list] = await Promise.all([
        mill.stats({ countsOnly: true }),
        mill.queues(),
        mill.workers(),
      ]);
      tasks.reset();
      for (const [type, byStatus] of Object.entries(stats.byType)) {
        for (const [status, n] of Object.entries(byStatus)) tasks.set({ type, status }, n ?? 0);
      }
      queued.reset();
      oldest.reset();
      const now = Date.now();
      for (const q of queues) {
        for (const [status, n] of Object.entries(q.counts))
          queued.set({ queue: q.name, status }, n ?? 0);
        const first = await mill.list({
          status: 'queued',
          queue: q.name,
          sort: 'runAt',
          order: 'asc',
          limit: 1,
        });
        const runAt = first.tasks[0]?.runAt.getTime();
        oldest.set({ queue: q.name }, runAt === undefined ? 0 : Math.max(0, (now - runAt) / 1000));
      }
      workers.reset();
      for (const state of ['online', 'draining', 'offline']) {
        workers.set({ state }, list.filter((w) => w.state === state).length);
      }
    };
    this.collect = collect;

    const duration = new Histogram({
      name: 'taskmill_task_duration_seconds',
      help: 'How long handlers ran, for attempts that ended in this process, by type and outcome.',
      labelNames: ['type', 'status'],
      buckets: [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 120, 600],
      registers: [registry],
    });
    const claim = new Histogram({
      name: 'taskmill_claim_seconds',
      help: "Round trip of this process's claims to the store (claims that took tasks).",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    });
    const stale = new Counter({
      name: 'taskmill_stale_writes_rejected_total',
      help: 'Writes refused because the lease was lost (fencing), in this process, by what.',
      labelNames: ['what'],
      registers: [registry],
    });
    this.unsubscribe = [
      mill.on('task.status', (e) => {
        if (e.durationMs !== undefined && e.from === 'running') {
          duration.observe({ type: e.type, status: e.to }, e.durationMs / 1000);
        }
      }),
      mill.on('claim.batch', (e) => claim.observe(e.ms / 1000)),
      mill.on('lease.lost', (e) => stale.inc({ what: e.what })),
      countPipelineEvents(mill, registry),
    ];
  }

  /** Read the store's counts into the gauges; called before each scrape. */
  readonly collect: () => Promise<void>;

  close(): void {
    for (const off of this.unsubscribe) off();
  }
}

export function metricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        operationId: 'metrics',
        summary: 'Prometheus metrics (text format)',
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      await metrics.collect();
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
