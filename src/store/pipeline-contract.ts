/**
 * The pipeline part of the Store contract: the records and parameters of the `pipeline*` methods
 * (src/store/contract.ts). A run's steps are ordinary tasks carrying their run, step and item
 * (`NewTask.pipeline`); they wait on each other through task dependencies, and everything a run
 * needs at the moment one of its tasks changes (releasing a place, failing fast, ending the run)
 * is done by the store in that change's transaction (src/store/pipeline-follow-ups.ts). No
 * JavaScript of a definition runs inside a store call: inputs, lists and cache keys are computed
 * by the worker that claimed the step, from what these methods read.
 */
import type { NewTask } from '../core/new-task.ts';
import type { PipelineRunStatus } from '../core/pipeline-run.ts';

import type { TaskStatus } from '../core/status.ts';
import type { ExecutionMetrics, TaskErrorInfo } from '../core/task.ts';

export type { NewStepFields } from '../core/new-task.ts';

export { RUN_STATUSES } from '../core/pipeline-run.ts';
export type RunStatus = PipelineRunStatus;

/** The first step that failed in a run. */
export interface RunError {
  step: string;
  taskId: string;
  code: string;
  message: string;
}

export interface NewRun {
  id: string;
  pipeline: string;
  input: unknown;
  mode: 'parallel' | 'sequential';
  onFailure: 'failFast' | 'continue';
  /** Per map step: how many of its items may run at once (no entry: no bound). */
  limits: Record<string, number>;
  batch: { id: string; index: number } | null;
}

/** A run as stored. Times in ms since the epoch. */
export interface StoredRun extends NewRun {
  status: RunStatus;
  cancelRequested: boolean;
  error: RunError | null;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

/** A step's own task (not a map item), as a run's status shows it. */
export interface RunStepRow {
  taskId: string;
  step: string;
  type: string;
  status: TaskStatus;
  attempt: number;
  maxAttempts: number;
  progress: number | null;
  progressMessage: string | null;
  output: unknown;
  error: TaskErrorInfo | null;
  metrics: ExecutionMetrics | null;
  /** How the step's last attempt ended, in words (a cache hit, a skip, a failure). */
  reason: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

/** How many of a map step's items are in each status. */
export interface ItemCount {
  step: string;
  status: TaskStatus;
  count: number;
}

/** A run that a change ended: the change's caller reports it, once. */
export interface RunEnd {
  runId: string;
  pipeline: string;
  status: Exclude<RunStatus, 'running'>;
}

/** What the worker that claimed a step reads to build its input. */
export interface StepContextRows {
  run: StoredRun;
  /** The named parent steps' own tasks. */
  parents: { step: string; status: TaskStatus; output: unknown }[];
  /** For a map step: its items in order (empty before it fanned out). */
  items: { index: number; status: TaskStatus; output: unknown }[] | null;
}

export type RunChangeResult =
  | { ok: true; run: StoredRun; ended: RunEnd | null }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'wrong_status'; status: RunStatus };

export interface PipelineStore {
  /** Start runs in one transaction: each run's row and its steps' tasks (parents before
   * children, their `dependsOn` naming tasks of the same batch). A run whose id is stored
   * already is left as it is, its tasks not inserted (a retried start). */
  pipelineRunStart(p: { now: number; runs: { run: NewRun; tasks: NewTask[] }[] }): Promise<void>;
  /** A run with its steps' own tasks (in step order) and its map items counted by status;
   * with `runOnly`, the run alone (`steps` and `items` empty): what a wait polls. */
  pipelineRunGet(p: {
    id: string;
    runOnly?: boolean;
  }): Promise<{ run: StoredRun; steps: RunStepRow[]; items: ItemCount[] } | null>;
  /** Newest first; `cursor` is the previous page's `nextCursor`. */
  pipelineRunList(p: {
    pipeline?: string;
    status?: RunStatus;
    batchId?: string;
    limit: number;
    cursor?: string | null;
  }): Promise<{ runs: StoredRun[]; nextCursor: string | null }>;
  /** The leaf steps' outputs of these runs (by run id, then step). */
  pipelineRunOutputs(p: {
    ids: string[];
    steps: string[];
  }): Promise<Map<string, Record<string, unknown>>>;
  /** Cancel what has not finished (a running task is asked to stop); the run ends `cancelled`
   * once its last task has ended. A run that has ended is `wrong_status`. */
  pipelineRunCancel(p: { now: number; id: string; reason: string }): Promise<RunChangeResult>;
  /** A failed or cancelled run starts again from the tasks that did not complete; completed and
   * skipped ones keep their outputs. Any other status is `wrong_status`. */
  pipelineRunResume(p: { now: number; id: string }): Promise<RunChangeResult>;
  /** The run, its named parents' tasks, and with `items` the step's map items; null when the
   * run does not exist. */
  pipelineStepContext(p: {
    runId: string;
    step: string;
    parents: string[];
    items: boolean;
  }): Promise<StepContextRows | null>;
  /** Keep the input the worker built (and the step's cache key) on the running task. */
  pipelineStepBegin(p: {
    now: number;
    id: string;
    token: string;
    input: unknown;
    cacheKey: string | null;
  }): Promise<{ ok: boolean }>;
  /** The newest completed task with this cache key that finished at `since` or later. */
  pipelineCacheFind(p: {
    key: string;
    since: number;
  }): Promise<{ taskId: string; output: unknown } | null>;
  /**
   * Fan a running map step out: insert its items (held until the step's concurrency lets them
   * go), make the step wait on them (`running` → `pending`, its attempt given back), and start
   * the first ones, in one transaction fenced by the step's lease.
   */
  pipelineMapExpand(p: {
    now: number;
    id: string;
    token: string;
    items: NewTask[];
  }): Promise<{ ok: boolean }>;
}
