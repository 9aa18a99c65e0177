import { availableParallelism } from 'node:os';
import { is, type OptionSpec, optionSpec } from '../../core/options-check.ts';

/** A pool of threads or processes that run tasks defined with that executor. */
export interface PoolOptions {
  /** Threads or processes in the pool. Default: the number of cores. */
  size?: number;
  /** Replace a thread or process after it ran this many tasks. Default: never. */
  maxTasks?: number;
  /**
   * Replace a thread or process when, after a task, its memory passes this many MiB: the heap
   * in use for a thread, the resident set (RSS) for a process. Default: never.
   */
  maxMemoryMb?: number;
  /** Heap limit of each thread or process; a task that passes it fails as out of memory. */
  heapLimitMb?: number;
  /** Between the abort signal (cancel, hard timeout, shutdown) and the kill. Default 500 ms. */
  killGraceMs?: number;
}

export interface ExecutorOptions {
  thread?: PoolOptions;
  process?: PoolOptions;
  /**
   * An inline task that blocks the event loop this long gets a warning in its log that names
   * its type and suggests `thread` or `process`. Default 500 ms; 0 turns the warning off.
   */
  blockWarnMs?: number;
}

export type ResolvedPoolOptions = Required<
  Omit<PoolOptions, 'maxTasks' | 'maxMemoryMb' | 'heapLimitMb'>
> &
  Pick<PoolOptions, 'maxTasks' | 'maxMemoryMb' | 'heapLimitMb'>;

const POOL_SPEC: OptionSpec = optionSpec<PoolOptions>({
  size: is.whole(1),
  maxTasks: is.whole(1),
  maxMemoryMb: is.positive(' of MiB'),
  heapLimitMb: is.whole(1),
  killGraceMs: is.ms(1),
});

/** The `executors` of a worker's options. */
export const EXECUTOR_OPTIONS_SPEC: OptionSpec = optionSpec<ExecutorOptions>({
  thread: POOL_SPEC,
  process: POOL_SPEC,
  blockWarnMs: is.ms(0),
});

/** A pool's options with their defaults; checked with the worker's (EXECUTOR_OPTIONS_SPEC). */
export function resolvePoolOptions(o: PoolOptions = {}): ResolvedPoolOptions {
  return {
    size: o.size ?? availableParallelism(),
    maxTasks: o.maxTasks,
    maxMemoryMb: o.maxMemoryMb,
    heapLimitMb: o.heapLimitMb,
    killGraceMs: o.killGraceMs ?? 500,
  };
}
