import { hostname } from 'node:os';
import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import { EXECUTOR_OPTIONS_SPEC } from './executors/options.ts';
import type { WorkerOptions } from './types.ts';

const WORKER_OPTIONS_SPEC: OptionSpec = optionSpec<WorkerOptions>({
  concurrency: is.whole(1),
  prefetch: is.whole(0),
  queues: is.array,
  name: is.string,
  leaseMs: is.ms(1),
  heartbeatMs: is.ms(1),
  pollMs: is.ms(1),
  sweepMs: is.ms(1),
  crashLimit: is.whole(1),
  shutdownGraceMs: is.ms(0),
  handleSignals: is.boolean,
  retentionMs: is.ms(1),
  executors: EXECUTOR_OPTIONS_SPEC,
});

/** What `WorkerHandle.stop` takes. */
export const STOP_OPTIONS_SPEC: OptionSpec = optionSpec<{ graceMs?: number }>({
  graceMs: is.ms(0),
});

export type ResolvedWorkerOptions = Required<Omit<WorkerOptions, 'queues' | 'name'>> & {
  queues: string[] | null;
  name: string;
};

/** The worker's options with their defaults; a bad value fails with OPTIONS_INVALID. */
export function resolveWorkerOptions(o: WorkerOptions): ResolvedWorkerOptions {
  checkOptions(WORKER_OPTIONS_SPEC, o ?? null);
  const leaseMs = o.leaseMs ?? 30_000;
  const concurrency = o.concurrency ?? 10;
  const prefetch = o.prefetch ?? concurrency;
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
