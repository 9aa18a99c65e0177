/** Read-side summaries: stats, queues with their counts, workers with their state. */

import type { QueueInfo } from '../../core/queue.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { StatsParams, StatsSnapshot } from '../contract.ts';
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
import type { MySession } from './connection.ts';
import { toWorker, type WorkerRow } from './rows.ts';

export async function readStats(s: MySession, p: StatsParams): Promise<StatsSnapshot> {
  const n = p.sampleSize;
  return toStatsSnapshot(
    await s.all<CountRow>('stats-counts'),
    await s.all<DurationRow>('stats-durations', [p.now, n, p.now, n, n]),
    await s.all<FinishedRow>('stats-finished-since', [p.since, p.now, p.since, p.now]),
    await s.all<HourRow>('stats-hourly', [p.hoursSince, p.now, p.hoursSince, p.now]),
  );
}

export async function listQueues(s: MySession, now: number): Promise<QueueInfo[]> {
  const settings = await s.all<Omit<QueueSettingsRow, 'paused'> & { paused: number }>('queue-list');
  const counts = await s.all<QueueCountRow>('queue-counts');
  const waiting = queuesWithWaiting(counts);
  return toQueues(
    settings.map((q) => ({ ...q, paused: Number(q.paused) !== 0 })),
    counts,
    waiting.length === 0
      ? []
      : await s.all<QueueOldestRow>('queue-oldest', [JSON.stringify(waiting), now]),
  );
}

export async function listWorkers(
  s: MySession,
  p: { now: number; offlineAfterMs: number },
): Promise<WorkerInfo[]> {
  return (await s.all<WorkerRow>('worker-list')).map((r) => toWorker(r, p.now, p.offlineAfterMs));
}
