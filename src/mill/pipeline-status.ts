/** A run as the store keeps it, made into what `mill.pipelines` shows (src/core/pipeline-run.ts). */
import type {
  PipelineRun,
  PipelineRunGraph,
  PipelineStepStatus,
  Progress,
} from '../core/pipeline-run.ts';
import { isTerminal, type TaskStatus } from '../core/status.ts';
import type { PipelineDefinition } from '../pipeline/define-pipeline.ts';
import { pipelineGraphJson } from '../pipeline/pipeline-graph-json.ts';
import type { ItemCount, RunStepRow, StoredRun } from '../store/contract.ts';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function itemsOf(counts: readonly ItemCount[], step: string) {
  const mine = counts.filter((c) => c.step === step);
  if (mine.length === 0) return null;
  return Object.fromEntries(mine.map((c) => [c.status, Number(c.count)])) as Partial<
    Record<TaskStatus, number>
  >;
}

function ended(items: Partial<Record<TaskStatus, number>>): Progress {
  let done = 0;
  let total = 0;
  for (const [status, n] of Object.entries(items)) {
    total += n;
    if (isTerminal(status as TaskStatus)) done += n;
  }
  return { done, total };
}

function messageOf(row: RunStepRow): string | null {
  if (row.error !== null && !isTerminal(row.status))
    return row.progressMessage ?? row.error.message;
  if (row.error !== null) return row.error.message;
  return row.progressMessage ?? row.reason;
}

function stepStatus(row: RunStepRow, counts: readonly ItemCount[]): PipelineStepStatus {
  const items = itemsOf(counts, row.step);
  const durationMs =
    row.metrics?.durationMs ??
    (row.startedAt !== null && row.finishedAt !== null ? row.finishedAt - row.startedAt : null);
  return {
    name: row.step,
    task: row.type,
    taskId: row.taskId,
    status: row.status,
    attempt: row.attempt,
    maxAttempts: row.maxAttempts,
    progress: items ? ended(items) : { done: isTerminal(row.status) ? 1 : 0, total: 1 },
    percent: row.progress,
    message: messageOf(row),
    cached: row.reason?.startsWith('cache hit') === true,
    items,
    output: row.output,
    error: row.error,
    metrics: row.metrics,
    durationMs,
    startedAt: date(row.startedAt),
    finishedAt: date(row.finishedAt),
    updatedAt: new Date(row.updatedAt),
  };
}

export function runStatus(
  detail: { run: StoredRun; steps: RunStepRow[]; items: ItemCount[] },
  output: Record<string, unknown> | null,
): PipelineRun {
  const { run } = detail;
  const steps = detail.steps.map((row) => stepStatus(row, detail.items));
  const itemProgress = { done: 0, total: 0 };
  for (const c of detail.items) {
    itemProgress.total += Number(c.count);
    if (isTerminal(c.status)) itemProgress.done += Number(c.count);
  }
  return {
    id: run.id,
    pipeline: run.pipeline,
    status: run.status,
    input: run.input,
    mode: run.mode,
    onFailure: run.onFailure,
    progress: { done: steps.filter((s) => isTerminal(s.status)).length, total: steps.length },
    items: itemProgress,
    steps,
    output: run.status === 'completed' ? output : null,
    error: run.error,
    batch: run.batch,
    cancelRequested: run.cancelRequested,
    createdAt: new Date(run.createdAt),
    updatedAt: new Date(run.updatedAt),
    endedAt: date(run.endedAt),
    durationMs: run.endedAt === null ? null : run.endedAt - run.createdAt,
  };
}

/** The run's graph: the definition's nodes (in run order) and edges with each step's status
 * now; without the definition (a pipeline this process does not know), the steps alone. */
export function runGraph(def: PipelineDefinition | undefined, run: PipelineRun): PipelineRunGraph {
  const byName = new Map(run.steps.map((s) => [s.name, s]));
  const shape = def
    ? pipelineGraphJson(def)
    : {
        nodes: run.steps.map((s) => ({ id: s.name, task: s.task, map: s.items !== null })),
        edges: [],
      };
  const order = def?.graph.order ?? run.steps.map((s) => s.name);
  const nodes = [...shape.nodes].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return {
    runId: run.id,
    pipeline: run.pipeline,
    status: run.status,
    nodes: nodes.map((node) => ({
      ...node,
      status: byName.get(node.id)?.status ?? 'pending',
      progress: byName.get(node.id)?.progress ?? { done: 0, total: 1 },
    })),
    edges: shape.edges,
  };
}
