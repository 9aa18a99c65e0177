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
import type { PgSession } from './connection.ts';
import { toWorker, type WorkerRow } from './rows.ts';

export async function readStats(s: PgSession, p: StatsParams): Promise<StatsSnapshot> {
  return toStatsSnapshot(
    await s.all<CountRow>('stats-counts'),
    await s.all<DurationRow>('stats-durations', [p.sampleSize, p.now]),
    await s.all<FinishedRow>('stats-finished-since', [p.since, p.now]),
    await s.all<HourRow>('stats-hourly', [p.hoursSince, p.now]),
  );
}

export async function listQueues(s: PgSession): Promise<QueueInfo[]> {
  const queues = new Map<string, QueueInfo>();
  for (const q of await s.all<{ name: string; paused: boolean; concurrency: number | null }>(
    'queue-list',
  )) {
    queues.set(q.name, { name: q.name, paused: q.paused, concurrency: q.concurrency, counts: {} });
  }
  for (const c of await s.all<{ queue: string; status: TaskStatus; count: number }>(
    'queue-counts',
  )) {
    let q = queues.get(c.queue);
    if (q === undefined) {
      q = { name: c.queue, paused: false, concurrency: null, counts: {} };
      queues.set(c.queue, q);
    }
    q.counts[c.status] = c.count;
  }
  return [...queues.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function upsertWorker(
  s: PgSession,
  now: number,
  w: Omit<WorkerInfo, 'lastHeartbeatAt' | 'startedAt' | 'state'> & {
    state: 'online' | 'draining';
  },
): Promise<void> {
  await s.all('worker-upsert', [
    w.id,
    w.name,
    w.host,
    w.pid,
    w.concurrency,
    w.types,
    w.queues,
    w.version,
    w.state,
    now,
    w.load,
    w.rssBytes,
  ]);
}

export async function listWorkers(
  s: PgSession,
  p: { now: number; offlineAfterMs: number },
): Promise<WorkerInfo[]> {
  return (await s.all<WorkerRow>('worker-list')).map((r) => toWorker(r, p.now, p.offlineAfterMs));
}
