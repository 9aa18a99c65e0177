/** A queue as the library and the API report it. */
import type { TaskStatus } from './status.ts';

export interface QueueInfo {
  name: string;
  paused: boolean;
  /** Running tasks allowed at once across every worker; null: no limit. */
  concurrency: number | null;
  counts: Partial<Record<TaskStatus, number>>;
  /** When the queue's longest-waiting ready task became due (its run-at): a task queued, or
   * retrying with its backoff over, whose run-at has passed. Null when none waits. */
  oldestWaitingAt: Date | null;
}
