/**
 * A pipeline run as the library, the HTTP API and the client show it: its status, progress and
 * timing, and each step's. Seed 004's `TaskMetadata` fields are all here under taskmill's names:
 * `status_flag` → `status`, `metrics` (with `duration`) → `metrics` and `durationMs`, `message` →
 * `message`, `progress: [n, m]` → `progress: { done, total }`, `last_updated` → `updatedAt`.
 */
import type { TaskStatus } from './status.ts';
import type { ExecutionMetrics, TaskErrorInfo } from './task.ts';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type PipelineRunStatus = (typeof RUN_STATUSES)[number];

/** n of m: steps of a run, or items of a map step. */
export interface Progress {
  done: number;
  total: number;
}

export interface PipelineStepStatus {
  name: string;
  /** The task type the step runs. */
  task: string;
  /** The step's own task (a map step's: the one that fans out and gathers). */
  taskId: string;
  status: TaskStatus;
  attempt: number;
  maxAttempts: number;
  /** A plain step: 0 or 1 of 1; a map step: its items done of its items. */
  progress: Progress;
  /** The handler's last progress report, in percent. */
  percent: number | null;
  /** Why it is where it is: a progress message, how its last attempt ended, or its error. */
  message: string | null;
  /** Its output was reused from an earlier run's (cache hit). */
  cached: boolean;
  /** A map step's items by status; null for a plain step. */
  items: Partial<Record<TaskStatus, number>> | null;
  output: unknown;
  error: TaskErrorInfo | null;
  metrics: ExecutionMetrics | null;
  durationMs: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface PipelineRun {
  id: string;
  pipeline: string;
  status: PipelineRunStatus;
  input: unknown;
  mode: 'parallel' | 'sequential';
  onFailure: 'failFast' | 'continue';
  /** Steps that ended (completed, skipped, failed…) of all steps. */
  progress: Progress;
  /** Items of every map step that ended, of all items created so far. */
  items: Progress;
  steps: PipelineStepStatus[];
  /** The leaf steps' outputs by step name, once the run completed; null before. */
  output: Record<string, unknown> | null;
  /** The first step that failed. */
  error: { step: string; taskId: string; code: string; message: string } | null;
  /** Runs started together by `runMany`: their batch and this run's place in it. */
  batch: { id: string; index: number } | null;
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
}

/** The runs of one `runMany`, in the order of their inputs: seed 004's `get_status` and
 * `get_result`. */
export interface PipelineBatch {
  id: string;
  pipeline: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  runs: { id: string; status: PipelineRunStatus; output: Record<string, unknown> | null }[];
}

/** A node of a run's graph as the dashboard draws it. */
export interface PipelineGraphNode {
  id: string;
  task: string;
  map: boolean;
  status: TaskStatus;
  progress: Progress;
}

export interface PipelineRunGraph {
  runId: string;
  pipeline: string;
  status: PipelineRunStatus;
  nodes: PipelineGraphNode[];
  edges: { from: string; to: string }[];
}

export interface ListRunsOptions {
  pipeline?: string;
  status?: PipelineRunStatus;
  /** 1..1000, default 50. */
  limit?: number;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

/** What a pipeline's definition says of itself: `pipelines.definitions()` and the HTTP list. */
export interface PipelineInfo {
  name: string;
  description: string | null;
  mode: 'parallel' | 'sequential';
  onFailure: 'failFast' | 'continue';
  /** The steps in topological order. */
  steps: {
    name: string;
    task: string;
    dependsOn: string[];
    map: boolean;
    concurrency: number | null;
  }[];
}

/**
 * The pipeline operations the library (`mill.pipelines`) and the HTTP client
 * (`client.pipelines`) share; the library also takes a definition where these take its name.
 */
export interface PipelineRunOperations<Name = string> {
  /** The pipelines registered where the runs are started. */
  definitions(): Promise<PipelineInfo[]>;
  /** Start one run; resolves once it is stored, with its status then. */
  run(pipeline: Name, input: unknown): Promise<PipelineRun>;
  /** One run per input, all started in one transaction (seed 004's `execute`). */
  runMany(pipeline: Name, inputs: readonly unknown[]): Promise<PipelineBatch>;
  get(id: string): Promise<PipelineRun>;
  list(options?: ListRunsOptions): Promise<{ runs: PipelineRun[]; nextCursor: string | null }>;
  /** The runs of a `runMany`, in input order, with `completed` of `total` and their outputs. */
  batch(id: string): Promise<PipelineBatch>;
  /** Resolve once the run has ended (completed, failed or cancelled). */
  wait(id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<PipelineRun>;
  /** Resolve once every run of the batch has ended. */
  waitBatch(
    id: string,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<PipelineBatch>;
  /** The run's graph (nodes with each step's status, edges parent → child) for drawing. */
  graph(id: string): Promise<PipelineRunGraph>;
  /** Cancel what has not finished; the run ends `cancelled` once its running steps stopped. */
  cancel(id: string, options?: { reason?: string }): Promise<PipelineRun>;
  /** Run a failed or cancelled run again from the steps that did not complete. */
  resume(id: string): Promise<PipelineRun>;
}
