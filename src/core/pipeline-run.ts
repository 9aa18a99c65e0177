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
