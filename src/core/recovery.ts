import type { TaskErrorInfo } from './task.ts';

/** What happens to a running task whose worker stopped renewing its lease. */
export interface RecoveryDecision {
  to: 'queued' | 'failed' | 'cancelled';
  reason: string;
  error: TaskErrorInfo | null;
}

/**
 * A dead worker's task runs again without using up an attempt, unless it was asked to cancel,
 * or workers died holding it `crashLimit` times in a row: then it is a poison pill and fails, so
 * it cannot take every worker down in turn.
 */
export function decideRecovery(p: {
  crashCount: number;
  crashLimit: number;
  cancelRequested: boolean;
}): RecoveryDecision {
  const crashes = p.crashCount + 1;
  if (p.cancelRequested) {
    return { to: 'cancelled', reason: 'cancelled (its worker died)', error: null };
  }
  if (crashes >= p.crashLimit) {
    return {
      to: 'failed',
      reason: 'worker crashed',
      error: {
        code: 'WORKER_CRASHED',
        message: `The worker running this task died ${crashes} times in a row; it will not be retried.`,
        retryable: false,
      },
    };
  }
  return {
    to: 'queued',
    reason: `recovered after its worker died (${crashes} of ${p.crashLimit})`,
    error: null,
  };
}
