/**
 * The types of a pipeline's steps, shared by the definition and the checks of its steps.
 */
import type { AnyTaskDefinition } from '../core/define-task.ts';
import type { RetryPolicy } from '../core/retry-policy.ts';

export const PIPELINE_MODES = ['parallel', 'sequential'] as const;
export type PipelineMode = (typeof PIPELINE_MODES)[number];
export const FAILURE_POLICIES = ['failFast', 'continue'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

/** What a step's functions see: the run's input and the outputs of the step's parents. */
export interface StepContext<Input = unknown> {
  readonly input: Input;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The parents that were skipped (their output is undefined). */
  readonly skipped: readonly string[];
}

/** A map step's `input` also sees the item it runs for and its position in the list. */
export interface MapItemContext<Input = unknown> extends StepContext<Input> {
  readonly item: unknown;
  readonly index: number;
}

export interface StepOptions<Input = unknown> {
  /** The task type the step runs (a `defineTask` result). */
  task: AnyTaskDefinition;
  /** Steps whose outputs this one waits for. */
  dependsOn?: readonly string[];
  /** The task's input; default: the run's input for a root, else the parents' outputs. */
  input?: (ctx: MapItemContext<Input>) => unknown;
  /** False skips the step. */
  when?: (ctx: StepContext<Input>) => boolean;
  /** A parent was skipped: `skip` this step too (the default), or `run` it all the same. */
  whenParentSkipped?: 'skip' | 'run';
  /** Run the task once per item of the list `over` returns, at most `concurrency` at a time. */
  map?: { over: (ctx: StepContext<Input>) => readonly unknown[]; concurrency?: number };
  /** Overrides the task type's retry policy for this step. */
  retry?: RetryPolicy;
  /** Reuse a completed step's output whose key matches, if younger than `ttlMs`. */
  cache?: { key: (ctx: StepContext<Input>) => string; ttlMs: number };
}

/** A checked step: its options, its dependencies always a list. */
export interface PipelineStep {
  readonly name: string;
  readonly task: AnyTaskDefinition;
  readonly dependsOn: readonly string[];
  readonly input: ((ctx: MapItemContext) => unknown) | undefined;
  readonly when: ((ctx: StepContext) => boolean) | undefined;
  readonly whenParentSkipped: 'skip' | 'run';
  readonly map:
    | {
        readonly over: (ctx: StepContext) => readonly unknown[];
        readonly concurrency: number | undefined;
      }
    | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly cache:
    | { readonly key: (ctx: StepContext) => string; readonly ttlMs: number }
    | undefined;
}

/** What a step hook is told. */
export interface StepHookEvent {
  runId: string;
  pipeline: string;
  step: string;
  /** A map step's item, or null for the step's own task. */
  item: number | null;
  taskId: string;
}

/** Seed 004's plugin callbacks. Each runs in the process that saw the moment: a step's in the
 * worker that ran it, a run's end in the process whose change ended it (once per run). A hook
 * that throws is reported as a `listener.error` event; it never changes the run. */
export interface PipelineHooks {
  onStepStart?: (e: StepHookEvent) => void | Promise<void>;
  onStepEnd?: (e: StepHookEvent & { status: string; durationMs: number }) => void | Promise<void>;
  onRunEnd?: (e: {
    runId: string;
    pipeline: string;
    status: 'completed' | 'failed' | 'cancelled';
  }) => void | Promise<void>;
}
