/**
 * The Store methods that change a waiting task on a person's request (seed 002, issue 17): an
 * update of its fields, and the operator's pause and resume. Part of the Store contract
 * (`contract.ts`), kept apart so each method's rules are read in one place.
 */
import type { TaskStatus } from '../core/status.ts';
import type { Task } from '../core/task.ts';

/** Answer of a status change a person asked for (cancel, retry, pause, resume). */
export type ChangeResult =
  | { ok: true; task: Task; from: TaskStatus }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'illegal_transition'; from: TaskStatus; to: TaskStatus };

/** Answer of a change that needs the task in some statuses only (priority, update: waiting;
 * delete: finished). */
export type StatusBoundResult<T> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'wrong_status'; status: TaskStatus };

/** The fields of a waiting task an update may change; an absent field is kept. */
export interface TaskChanges {
  /** The new input, already checked against the task type's schema, as JSON text. The
   * idempotency fingerprint is kept: a replay of the first submit still finds this task. */
  inputJson?: string;
  /** 0..3. */
  priority?: number;
  /** When it may start (ms). */
  runAt?: number;
  queue?: string;
  /** null clears it. */
  name?: string | null;
}

export interface TaskChangeStore {
  /**
   * Change a task that waits (status in `PRIORITY_CHANGE_STATUSES`: pending, queued, retrying,
   * paused), atomically and only while it still does: another status is `wrong_status` and
   * nothing is written. Adds one history entry from its status to the same status, the reason
   * `updated: <fields>` (the changed fields in TaskChanges order), so `history` shows it. A
   * change that makes a queued task ready wakes workers.
   */
  taskUpdate(p: {
    now: number;
    id: string;
    changes: TaskChanges;
  }): Promise<StatusBoundResult<{ task: Task; from: TaskStatus }>>;
  /**
   * The operator's pause and resume: `to: 'paused'` holds a queued or retrying task (a paused
   * task is never claimed), `to: 'queued'` lets a paused one go with its run-at kept (a future
   * run-at still delays it) and wakes workers. Any other current status is
   * `illegal_transition` and nothing is written. One history entry with `reason`.
   */
  taskSetStatus(p: {
    now: number;
    id: string;
    to: 'paused' | 'queued';
    reason: string;
  }): Promise<ChangeResult>;
}
