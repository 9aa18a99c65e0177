/**
 * The seam between a worker and pipelines: before a pipeline step's handler runs, the worker
 * asks the pipeline layer what to do with the claimed task (src/pipeline/step-runtime.ts builds
 * the answer from the stored outputs of the step's parents). A task submitted alone never asks.
 */
import type { RetryPolicy } from '../core/retry-policy.ts';
import type { TaskStatus } from '../core/status.ts';
import type { ExecutionOutcome } from '../core/task.ts';
import type { ClaimedTask, RunEnd } from '../store/contract.ts';

export type StepPlan =
  /** Run the handler with this input (and this retry policy in place of the type's); `parsed`:
   * already checked against the task's input schema, as the schema gave it back. */
  | { kind: 'run'; input: unknown; parsed: boolean; retry: RetryPolicy | undefined }
  /** End the attempt without running the handler: skipped, a cache hit, a map step gathered. */
  | {
      kind: 'settle';
      to: 'completed' | 'skipped';
      outcome: ExecutionOutcome;
      output: unknown;
      reason: string;
    }
  /** The step cannot run: it fails at once (retryable: false) or by the retry policy. */
  | { kind: 'fail'; error: Error & { retryable?: boolean } }
  /** A map step fanned out into its items and now waits for them; nothing more to write. */
  | { kind: 'expanded'; items: number }
  /** The lease was lost meanwhile: write nothing. */
  | { kind: 'lost' };

export interface StepPreparer {
  prepare(claimed: ClaimedTask): Promise<StepPlan>;
  /** The step's attempt was settled (or fanned out): events and the pipeline's hooks. */
  settled?(
    claimed: ClaimedTask,
    to: TaskStatus,
    durationMs: number,
    runEnded: RunEnd | undefined,
  ): void;
  /** A change made outside a worker (a cancel) ended a run: its event and hook, once. */
  runEnded?(end: RunEnd): void;
}

/** Every plan but `run`: the attempt ends without the handler. */
export type StepShortcut = Exclude<StepPlan, { kind: 'run' }>;
