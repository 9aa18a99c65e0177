import { validateQueueName } from '../core/define-task.ts';
import { ValidationError } from '../core/errors.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { MillContext } from './mill-context.ts';

/** Queues: list them, pause and resume one, cap how many of its tasks run at once. */
export function queueApi(ctx: MillContext) {
  async function updateQueue(
    name: string,
    change: { paused?: boolean; concurrency?: number | null },
  ): Promise<void> {
    ctx.assertOpen();
    validateQueueName(name, 'name');
    await ctx.store.queueUpsert({ now: ctx.now(), name, ...change });
  }

  return {
    queues(): Promise<QueueInfo[]> {
      ctx.assertOpen();
      return ctx.store.queueList({ now: ctx.now() });
    },
    pauseQueue(name: string): Promise<void> {
      return updateQueue(name, { paused: true });
    },
    async resumeQueue(name: string): Promise<void> {
      await updateQueue(name, { paused: false });
      ctx.wakeWorkers();
    },
    setQueueConcurrency(name: string, limit: number | null): Promise<void> {
      if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
        throw new ValidationError(
          'OPTIONS_INVALID',
          'A queue concurrency limit must be a whole number ≥ 1, or null for none.',
          [{ path: 'concurrency', message: 'expected an integer ≥ 1 or null' }],
        );
      }
      return updateQueue(name, { concurrency: limit });
    },
  };
}
