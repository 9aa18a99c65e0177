/** Read-side summaries: stats, queues with their counts, workers with their state. */

import type { QueueInfo } from '../../core/queue.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { StatsParams, StatsSnapshot, WorkerRegistration } from '../contract.ts';
import { type QueueCountRow, type QueueOldestRow, queuesWithWaiting, toQueues } from '../rows.ts';
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

export function listQueues(conn: SqliteConnection, now: number): QueueInfo[] {
  const settings = conn.all<{ name: string; paused: number; concurrency: number | null }>(
    'queue-list',
  );
  const counts = conn.all<QueueCountRow>('queue-counts');
  const waiting = queuesWithWaiting(counts);
  return toQueues(
    settings.map((q) => ({ ...q, paused: q.paused !== 0 })),
    counts,
    waiting.length === 0
      ? []
      : conn.all<QueueOldestRow>('queue-oldest', now, JSON.stringify(waiting)),
  );
}

export function upsertWorker(conn: SqliteConnection, now: number, w: WorkerRegistration): void {
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
    w.unitType ?? null,
    w.endpoint ?? null,
    w.metadata ? JSON.stringify(w.metadata) : null,
  );
}

export function listWorkers(
  conn: SqliteConnection,
  p: { now: number; offlineAfterMs: number },
): WorkerInfo[] {
  return conn.all<WorkerRow>('worker-list').map((r) => toWorker(r, p.now, p.offlineAfterMs));
}
