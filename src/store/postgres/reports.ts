/** Read-side summaries: stats, queues with their counts, workers with their state. */

import type { QueueInfo } from '../../core/queue.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { StatsParams, StatsSnapshot, WorkerRegistration } from '../contract.ts';
import {
  type QueueCountRow,
  type QueueOldestRow,
  type QueueSettingsRow,
  queuesWithWaiting,
  toQueues,
} from '../rows.ts';
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

export async function listQueues(s: PgSession, now: number): Promise<QueueInfo[]> {
  const settings = await s.all<QueueSettingsRow>('queue-list');
  const counts = await s.all<QueueCountRow>('queue-counts');
  const waiting = queuesWithWaiting(counts);
  return toQueues(
    settings,
    counts,
    waiting.length === 0 ? [] : await s.all<QueueOldestRow>('queue-oldest', [now, waiting]),
  );
}

export async function upsertWorker(
  s: PgSession,
  now: number,
  w: WorkerRegistration,
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
    w.unitType ?? null,
    w.endpoint ?? null,
    w.metadata ? JSON.stringify(w.metadata) : null,
  ]);
}

export async function listWorkers(
  s: PgSession,
  p: { now: number; offlineAfterMs: number },
): Promise<WorkerInfo[]> {
  return (await s.all<WorkerRow>('worker-list')).map((r) => toWorker(r, p.now, p.offlineAfterMs));
}
