import type { PriorityName } from './priority.ts';
import type { Artifact } from './task.ts';

/** What a handler knows of the task it runs. */
export interface TaskInfo {
  id: string;
  type: string;
  queue: string;
  priority: PriorityName;
  attempt: number;
  maxAttempts: number;
}

export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The handler's second argument. Progress and log lines are buffered and written in batches;
 * once the lease is lost they are dropped and `signal` aborts with a LeaseLostError.
 */
export interface TaskContext {
  /** Aborts on cancel, on the hard timeout, on lease loss and at the end of a shutdown's grace. */
  signal: AbortSignal;
  /** 1 on the first run. */
  attempt: number;
  task: TaskInfo;
  /** Percent 0..100 (clamped) and an optional message. */
  progress(percent: number, message?: string): void;
  log: TaskLogger;
  /** A number kept with this attempt's metrics; the last value of a name wins. */
  metric(name: string, value: number): void;
  artifacts: {
    /** Store bytes or text under the data folder; resolves with its size and SHA-256. */
    put(name: string, data: string | Uint8Array): Promise<Artifact>;
  };
}
