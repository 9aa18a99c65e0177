import { type AnyTaskDefinition, timeoutFor } from '../core/define-task.ts';
import { TaskmillError } from '../core/errors.ts';
import { decideRetry } from '../core/retry-policy.ts';
import type { ExecutionMetrics, Task, TaskErrorInfo } from '../core/task.ts';
import type { Settlement } from '../store/contract.ts';
import type { StepShortcut } from './step-plan.ts';

/** Why an attempt stopped before its handler returned. */
export type AbortKind = 'cancel' | 'timeout' | 'shutdown' | 'lease_lost';

export type AttemptEnd =
  | { kind: 'returned'; output: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'aborted'; abort: AbortKind }
  /** A pipeline step that ended before its handler (src/worker/step-plan.ts). */
  | { kind: 'step'; plan: StepShortcut };

export function errorInfo(error: unknown, retryable: boolean): TaskErrorInfo {
  if (error instanceof Error) {
    const own = (error as { code?: unknown }).code;
    const code =
      error instanceof TaskmillError
        ? error.code
        : typeof own === 'string' && own
          ? own
          : 'HANDLER_ERROR';
    return { code, message: error.message || error.name, stack: error.stack, retryable };
  }
  return {
    code: 'HANDLER_ERROR',
    message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)),
    retryable,
  };
}

/**
 * Turn how an attempt ended into what the store writes. The retry policy decides between
 * `retrying` and a final status; a shutdown gives the task back without using up the attempt.
 * Returns null when nothing may be written (the lease is gone).
 */
export function settlementFor(
  def: AnyTaskDefinition,
  task: Task,
  token: string,
  given: AttemptEnd,
  metrics: ExecutionMetrics,
  now: number,
  random: () => number = Math.random,
): Settlement | null {
  const base = { id: task.id, token, metrics };
  if (given.kind === 'step' && given.plan.kind !== 'fail') {
    const plan = given.plan;
    if (plan.kind !== 'settle') return null;
    return {
      ...base,
      to: plan.to,
      outcome: plan.outcome,
      reason: plan.reason,
      output: plan.output ?? null,
      error: null,
    };
  }
  // A step that cannot run fails as its handler would have thrown.
  const end: Exclude<AttemptEnd, { kind: 'step' }> =
    given.kind === 'step'
      ? { kind: 'threw', error: (given.plan as { error: Error }).error }
      : given;
  if (end.kind === 'returned') {
    return {
      ...base,
      to: 'completed',
      outcome: 'completed',
      reason: 'completed',
      output: end.output ?? null,
      // An earlier attempt's error describes that attempt (kept in its execution), not the task.
      error: null,
    };
  }
  if (end.kind === 'aborted') {
    switch (end.abort) {
      case 'lease_lost':
        return null;
      case 'shutdown':
        return {
          ...base,
          to: 'queued',
          outcome: 'released',
          reason: 'released at shutdown',
          refundAttempt: true,
          error: {
            code: 'WORKER_SHUTDOWN',
            message: 'Given back when its worker shut down.',
            retryable: true,
          },
        };
      case 'cancel':
        return {
          ...base,
          to: 'cancelled',
          outcome: 'cancelled',
          reason: 'cancelled while running',
          error: { code: 'TASK_CANCELLED', message: 'Cancelled while running.', retryable: false },
        };
      case 'timeout':
        break;
    }
  }
  const timedOut = end.kind === 'aborted';
  const error = timedOut
    ? new TaskmillError(
        'TASK_TIMED_OUT',
        `Attempt ${task.attempt} passed its hard timeout of ${timeoutFor(def, task).hardMs} ms.`,
      )
    : end.error;
  const decision = decideRetry(
    def.retry,
    { attempt: task.attempt, error, maxAttempts: task.maxAttempts },
    random,
  );
  const info = errorInfo(error, decision.retry);
  if (decision.retry) {
    return {
      ...base,
      to: 'retrying',
      outcome: timedOut ? 'timed_out' : 'failed',
      reason: `${timedOut ? 'timed out' : 'failed'}; retry ${task.attempt + 1} of ${task.maxAttempts} in ${decision.delayMs} ms`,
      error: info,
      runAt: now + decision.delayMs,
    };
  }
  return {
    ...base,
    to: timedOut ? 'timed_out' : 'failed',
    outcome: timedOut ? 'timed_out' : 'failed',
    reason: `${timedOut ? 'timed out' : 'failed'}: ${decision.reason}`,
    error: info,
  };
}
