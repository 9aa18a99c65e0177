import { hostname } from 'node:os';
import { ValidationError } from '../core/errors.ts';
import type { WorkerOptions } from './types.ts';

export type ResolvedWorkerOptions = Required<Omit<WorkerOptions, 'queues' | 'name'>> & {
  queues: string[] | null;
  name: string;
};

/** The worker's options with their defaults; a bad value fails with OPTIONS_INVALID. */
export function resolveWorkerOptions(o: WorkerOptions): ResolvedWorkerOptions {
  const leaseMs = o.leaseMs ?? 30_000;
  const concurrency = o.concurrency ?? 10;
  const prefetch = o.prefetch ?? concurrency;
  if (!Number.isSafeInteger(prefetch) || prefetch < 0) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      `Option "prefetch" is invalid: expected a whole number of tasks ≥ 0, got ${String(prefetch)}.`,
      [{ path: 'prefetch', message: 'expected a whole number ≥ 0' }],
    );
  }
  return {
    concurrency,
    prefetch,
    queues: o.queues && o.queues.length > 0 ? o.queues : null,
    name: o.name ?? `${hostname()}:${process.pid}`,
    leaseMs,
    // Cancels made in other processes arrive with the heartbeat, so it stays short.
    heartbeatMs: o.heartbeatMs ?? Math.max(10, Math.min(2000, Math.floor(leaseMs / 3))),
    pollMs: o.pollMs ?? 500,
    sweepMs: o.sweepMs ?? Math.max(10, Math.floor(leaseMs / 2)),
    crashLimit: o.crashLimit ?? 3,
    shutdownGraceMs: o.shutdownGraceMs ?? 10_000,
    handleSignals: o.handleSignals ?? true,
    retentionMs: o.retentionMs ?? 60_000,
    executors: o.executors ?? {},
  };
}
