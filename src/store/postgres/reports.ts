/** Read-side summaries: stats, queues with their counts, workers with their state. */

import type { QueueInfo } from '../../core/queue.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { StatsParams, StatsSnapshot, WorkerRegistration } from '../contract.ts';
import { type QueueCountRow, type QueueSettingsRow, toQueues } from '../rows.ts';
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
  return toQueues(
    await s.all<QueueSettingsRow>('queue-list'),
    await s.all<QueueCountRow>('queue-counts'),
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
