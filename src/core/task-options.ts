/**
 * What a submit takes besides the type and input, and the run-time check of it: shared by the
 * library, the HTTP client and whatever else builds tasks. Nothing here touches Node, so the
 * client can load it in a browser.
 */
import { is, type OptionSpec, optionSpec, valueRule } from './options-check.ts';
import { PRIORITIES, type Priority } from './priority.ts';

/** Attempts a task may be given in all. */
export const MAX_ATTEMPTS = 1000;
/** Tasks one task may wait for. */
export const MAX_DEPENDENCIES = 1000;

export interface TaskTimeout {
  /** Past this the task gets a warning in its log and a `task.soft_timeout` event; it goes on. */
  softMs?: number;
  /** Past this the signal aborts and the attempt ends `timed_out` (or is retried). */
  hardMs?: number;
}

/** A task type's timeout, or a task's own. */
export const TIMEOUT_SPEC: OptionSpec = optionSpec<TaskTimeout>({
  softMs: is.ms(1),
  hardMs: is.ms(1),
});

const PRIORITY_RULE = valueRule(
  `${PRIORITIES.join(', ')} or 0..3`,
  (v) =>
    (PRIORITIES as readonly unknown[]).includes(v) ||
    (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 3),
);

/** The options of one task's submit; a call that takes more (`client`) extends it. */
export const TASK_OPTIONS_SPEC: OptionSpec = optionSpec<TaskOptions>({
  name: is.string,
  priority: PRIORITY_RULE,
  runAt: is.time,
  delayMs: is.number(0, ' of milliseconds'),
  idempotencyKey: is.string,
  queue: is.string,
  maxAttempts: is.whole(1, MAX_ATTEMPTS),
  dependsOn: is.array,
  timeout: TIMEOUT_SPEC,
});

/** The longest name a task takes, in characters. */
export const MAX_TASK_NAME_LENGTH = 200;

export interface TaskOptions {
  /** A person's name for the task (1..200 characters): shown by lists and `show`, found by
   * `search`. Not part of the idempotency fingerprint. */
  name?: string;
  priority?: Priority;
  /** Do not start before this time. */
  runAt?: Date | number;
  /** Do not start before now + delayMs. */
  delayMs?: number;
  /** A second submit with the same key returns the first task. */
  idempotencyKey?: string;
  queue?: string;
  maxAttempts?: number;
  /**
   * Ids of tasks that must complete first (at most 1,000). The task waits in `pending` until the
   * last of them completes, then is queued; if one of them fails, times out or is cancelled, it
   * ends too (`failed` with DEPENDENCY_FAILED, or `cancelled`). Each must exist already, or come
   * earlier in the same `submitMany`; one that has already failed is refused
   * (DEPENDENCY_FAILED), an unknown one too (DEPENDENCY_NOT_FOUND).
   */
  dependsOn?: string[];
  /** This task's soft and hard timeouts, each in place of the type's (a limit not given stays
   * the type's). Kept with the task, so every worker honours it. */
  timeout?: TaskTimeout;
}

/** What `update` may change on a task that waits (queued, paused, retrying or pending); at least
 * one field. */
export interface TaskUpdate {
  /** Checked against the task type's schema, as at submit. */
  input?: unknown;
  priority?: Priority;
  /** Do not start before this time. */
  runAt?: Date | number;
  queue?: string;
  /** null clears it. */
  name?: string | null;
}

export const TASK_UPDATE_SPEC: OptionSpec = optionSpec<TaskUpdate>({
  input: is.any,
  priority: PRIORITY_RULE,
  runAt: is.time,
  queue: is.string,
  name: valueRule('a string or null', (v) => v === null || typeof v === 'string'),
});

/** What `pause` and `resume` take. */
export const STATUS_CHANGE_SPEC: OptionSpec = optionSpec<{ reason?: string }>({
  reason: is.string,
});
