import { IllegalTransitionError, TaskmillError, TaskNotFoundError } from '../core/errors.ts';
import { RETRY_OPTIONS_SPEC } from '../core/operations.ts';
import { checkOptions } from '../core/options-check.ts';
import { type Priority, priorityLevel } from '../core/priority.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Task } from '../core/task.ts';
import type { ChangeResult } from '../store/contract.ts';
import { removeArtifactFiles } from '../worker/artifact-file.ts';
import type { MillContext } from './mill-context.ts';

function changed(id: string, result: ChangeResult, to: TaskStatus): Task {
  if (result.ok) return result.task;
  if (result.reason === 'not_found') throw new TaskNotFoundError(id);
  throw new IllegalTransitionError(result.from, result.to ?? to, { taskId: id });
}

/** What a user changes on a task: cancel, retry, its priority while it waits, deletion. */
export function taskChangesApi(ctx: MillContext) {
  return {
    async cancel(id: string, reason = 'cancelled by request'): Promise<Task> {
      ctx.assertOpen();
      const result = await ctx.store.taskCancel({ now: ctx.now(), id, reason });
      const task = changed(id, result, 'cancelled');
      if (result.ok && result.immediate) ctx.emitStatus(task, result.from, 'cancelled', reason);
      if (result.ok && result.runEnded) ctx.deps.steps?.runEnded?.(result.runEnded);
      if (result.ok && !result.immediate) for (const w of ctx.localWorkers) w.abortTask(id);
      return task;
    },

    async retry(id: string, options: { maxAttempts?: number } = {}): Promise<Task> {
      ctx.assertOpen();
      checkOptions(RETRY_OPTIONS_SPEC, options, 'options');
      const m = options.maxAttempts;
      const link = (await ctx.store.taskGet({ id }))?.pipeline;
      if (link) {
        // Its dependents ended with it: only resuming the run runs them again.
        throw new TaskmillError(
          'PIPELINE_RUN_STATE',
          `Task ${id} is step "${link.step}" of pipeline run ${link.runId}: resume the run (pipelines.resume) to run its failed steps again.`,
          { details: { id, runId: link.runId, step: link.step } },
        );
      }
      const result = await ctx.store.taskRetry({ now: ctx.now(), id, maxAttempts: m });
      const task = changed(id, result, 'queued');
      if (result.ok) ctx.emitStatus(task, result.from, 'queued', 'retried');
      ctx.wakeWorkers();
      return task;
    },

    async setPriority(id: string, priority: Priority): Promise<Task> {
      ctx.assertOpen();
      const level = priorityLevel(priority);
      const result = await ctx.store.taskSetPriority({ now: ctx.now(), id, priority: level });
      if (result.ok) return result.task;
      if (result.reason === 'not_found') throw new TaskNotFoundError(id);
      throw new TaskmillError(
        'TASK_ILLEGAL_TRANSITION',
        `Task ${id} is ${result.status}: only a task that waits (queued, retrying, pending or paused) can change its priority.`,
        { details: { id, status: result.status } },
      );
    },

    /** A finished task, everything recorded about it, and its artifact files. */
    async delete(id: string): Promise<void> {
      ctx.assertOpen();
      const result = await ctx.store.taskDelete({ id });
      if (!result.ok) {
        if (result.reason === 'not_found') throw new TaskNotFoundError(id);
        throw new TaskmillError(
          'TASK_ILLEGAL_TRANSITION',
          `Task ${id} is ${result.status}: only a finished task can be deleted; cancel it first.`,
          { details: { id, status: result.status } },
        );
      }
      await removeArtifactFiles(ctx.deps.dataDir, [id], result.artifactPaths);
    },
  };
}
