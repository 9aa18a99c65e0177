import { availableParallelism } from 'node:os';
import { ValidationError } from '../../core/errors.ts';

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

function positive(value: unknown, path: string, whole: boolean): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    value > 0 &&
    (whole ? Number.isInteger(value) : Number.isFinite(value));
  if (!ok) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      `Executor option ${path} is ${JSON.stringify(value)}: expected a ${whole ? 'whole ' : ''}number > 0.`,
      [{ path, message: `expected a ${whole ? 'whole ' : ''}number > 0` }],
    );
  }
}

export function resolvePoolOptions(o: PoolOptions = {}, path: string): ResolvedPoolOptions {
  positive(o.size, `${path}.size`, true);
  positive(o.maxTasks, `${path}.maxTasks`, true);
  positive(o.maxMemoryMb, `${path}.maxMemoryMb`, false);
  positive(o.heapLimitMb, `${path}.heapLimitMb`, true);
  positive(o.killGraceMs, `${path}.killGraceMs`, true);
  return {
    size: o.size ?? availableParallelism(),
    maxTasks: o.maxTasks,
    maxMemoryMb: o.maxMemoryMb,
    heapLimitMb: o.heapLimitMb,
    killGraceMs: o.killGraceMs ?? 500,
  };
}
