import { IllegalTransitionError, TaskmillError, TaskNotFoundError } from '../core/errors.ts';
import { RETRY_OPTIONS_SPEC } from '../core/operations.ts';
import { checkOptions } from '../core/options-check.ts';
import { type Priority, priorityLevel } from '../core/priority.ts';
import { operatorTargets, type TaskStatus } from '../core/status.ts';
import type { Task } from '../core/task.ts';
import { STATUS_CHANGE_SPEC, type TaskUpdate } from '../core/task-options.ts';
import type { ChangeResult } from '../store/contract.ts';
import { removeArtifactFiles } from '../worker/artifact-file.ts';
import type { MillContext } from './mill-context.ts';
import { taskChangesOf } from './task-update.ts';

function changed(id: string, result: ChangeResult, to: TaskStatus): Task {
  if (result.ok) return result.task;
  if (result.reason === 'not_found') throw new TaskNotFoundError(id);
  throw new IllegalTransitionError(result.from, result.to ?? to, { taskId: id });
}

/** What a user changes on a task: cancel, retry, its fields while it waits (update, priority),
 * pause and resume, deletion. */
export function taskChangesApi(ctx: MillContext) {
  async function setStatus(
    id: string,
    to: 'paused' | 'queued',
    options: { reason?: string },
    fallback: string,
  ): Promise<Task> {
    ctx.assertOpen();
    checkOptions(STATUS_CHANGE_SPEC, options, 'options');
    const reason = options.reason?.trim() || fallback;
    const result = await ctx.store.taskSetStatus({ now: ctx.now(), id, to, reason });
    if (!result.ok) {
      if (result.reason === 'not_found') throw new TaskNotFoundError(id);
      throw operatorRefusal(id, result.from, to);
    }
    ctx.emitStatus(result.task, result.from, to, reason);
    if (to === 'queued') ctx.wakeWorkers();
    return result.task;
  }

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

    async update(id: string, changes: TaskUpdate): Promise<Task> {
      ctx.assertOpen();
      const current = await ctx.store.taskGet({ id: String(id) });
      if (!current) throw new TaskNotFoundError(String(id));
      const stored = taskChangesOf(ctx.deps.definitions, current.type, changes);
      const result = await ctx.store.taskUpdate({ now: ctx.now(), id, changes: stored });
      if (!result.ok) {
        if (result.reason === 'not_found') throw new TaskNotFoundError(id);
        throw new TaskmillError(
          'TASK_ILLEGAL_TRANSITION',
          `Task ${id} is ${result.status}: only a task that waits (queued, paused, retrying or pending) can be updated.`,
          { details: { id, status: result.status } },
        );
      }
      ctx.wakeWorkers();
      return result.task;
    },

    pause(id: string, options: { reason?: string } = {}): Promise<Task> {
      return setStatus(id, 'paused', options, 'paused by request');
    },

    resume(id: string, options: { reason?: string } = {}): Promise<Task> {
      return setStatus(id, 'queued', options, 'resumed by request');
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

/** A status an operator may not set from where the task is: the message lists what may be. */
export function operatorRefusal(id: string, from: TaskStatus, to: TaskStatus): TaskmillError {
  const allowed = operatorTargets(from);
  const may = allowed.length === 0 ? 'nothing (it has ended)' : allowed.join(', ');
  return new TaskmillError(
    'TASK_ILLEGAL_TRANSITION',
    `Task ${id} is ${from}: it cannot be set to ${to}. From ${from} an operator may set: ${may}.`,
    { details: { id, from, to, allowed } },
  );
}
