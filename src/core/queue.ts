/** A queue as the library and the API report it. */
import type { TaskStatus } from './status.ts';

export interface QueueInfo {
  name: string;
  paused: boolean;
  /** Running tasks allowed at once across every worker; null: no limit. */
  concurrency: number | null;
  counts: Partial<Record<TaskStatus, number>>;
}
