/** Read-side summaries: stats, queues with their counts, workers with their state. */

import type { QueueInfo } from '../../core/queue.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { StatsParams, StatsSnapshot } from '../contract.ts';
import {
  type CountRow,
  type DurationRow,
  type FinishedRow,
  type HourRow,
  toStatsSnapshot,
} from '../stats-rows.ts';
import type { SqliteConnection } from './connection.ts';
import { toWorker, type WorkerRow } from './rows.ts';

export function readStats(conn: SqliteConnection, p: StatsParams): StatsSnapshot {
  return toStatsSnapshot(
    conn.all<CountRow>('stats-counts'),
    conn.all<DurationRow>('stats-durations', p.sampleSize, p.now),
    conn.all<FinishedRow>('stats-finished-since', p.since, p.now),
    conn.all<HourRow>('stats-hourly', p.hoursSince, p.now),
  );
}

export function listQueues(conn: SqliteConnection): QueueInfo[] {
  const queues = new Map<string, QueueInfo>();
  for (const q of conn.all<{ name: string; paused: number; concurrency: number | null }>(
    'queue-list',
  )) {
    queues.set(q.name, {
      name: q.name,
      paused: q.paused !== 0,
      concurrency: q.concurrency,
      counts: {},
    });
  }
  for (const c of conn.all<{ queue: string; status: TaskStatus; count: number }>('queue-counts')) {
    let q = queues.get(c.queue);
    if (q === undefined) {
      q = { name: c.queue, paused: false, concurrency: null, counts: {} };
      queues.set(c.queue, q);
    }
    q.counts[c.status] = c.count;
  }
  return [...queues.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function upsertWorker(
  conn: SqliteConnection,
  now: number,
  w: Omit<WorkerInfo, 'lastHeartbeatAt' | 'startedAt' | 'state'> & {
    state: 'online' | 'draining';
  },
): void {
  conn.run(
    'worker-upsert',
    w.id,
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    JSON.stringify(w.types),
    w.queues === null ? null : JSON.stringify(w.queues),
    w.version,
    w.state,
    now,
    w.load,
    w.rssBytes,
  );
}

export function listWorkers(
  conn: SqliteConnection,
  p: { now: number; offlineAfterMs: number },
): WorkerInfo[] {
  return conn.all<WorkerRow>('worker-list').map((r) => toWorker(r, p.now, p.offlineAfterMs));
}
