/**
 * Pipeline runs and definitions as `taskmill pipelines` prints them for people: the registered
 * pipelines, a table of runs, one run's fields, the one-line state a follower prints per change
 * and the summary once a run has ended.
 */
import type { PipelineBatch, PipelineInfo, PipelineRun } from '../core/pipeline-run.ts';
import { fields, formatAge, formatDateTime, formatDuration, formatValue, table } from './format.ts';

/** `fetch → rows[map ×3] → total`: the steps in topological order, a map step marked. */
function stepList(info: PipelineInfo): string {
  return info.steps
    .map((s) =>
      s.map ? `${s.name}[map${s.concurrency === null ? '' : ` ×${s.concurrency}`}]` : s.name,
    )
    .join(' → ');
}

export function definitionsTable(pipelines: readonly PipelineInfo[]): string {
  if (pipelines.length === 0) return 'no pipelines registered';
  return table(pipelines, [
    { header: 'NAME', value: (p) => p.name },
    { header: 'MODE', value: (p) => p.mode },
    { header: 'ON FAILURE', value: (p) => p.onFailure },
    { header: 'STEPS', value: (p) => String(p.steps.length), align: 'right' },
    { header: 'ORDER', value: (p) => stepList(p) },
  ]);
}

/** `2/4`, and `7/12` for the items; `-` for a run without map steps. */
function stepsDone(run: PipelineRun): string {
  return `${run.progress.done}/${run.progress.total}`;
}

function itemsDone(run: PipelineRun): string {
  return run.items.total === 0 ? '-' : `${run.items.done}/${run.items.total}`;
}

/** The run's whole life so far, or from start to end once it ended. */
export function runDuration(run: PipelineRun, now: number = Date.now()): string {
  if (run.durationMs !== null) return formatDuration(run.durationMs);
  return `${formatDuration(now - run.createdAt.getTime())} so far`;
}

function statusText(run: PipelineRun): string {
  return run.cancelRequested && run.status === 'running'
    ? 'running (cancel requested)'
    : run.status;
}

export function runsTable(runs: readonly PipelineRun[], now: number = Date.now()): string {
  if (runs.length === 0) return 'no runs';
  return table(runs, [
    { header: 'RUN', value: (r) => r.id },
    { header: 'PIPELINE', value: (r) => r.pipeline },
    { header: 'STATUS', value: (r) => statusText(r) },
    { header: 'STEPS', value: (r) => stepsDone(r), align: 'right' },
    { header: 'ITEMS', value: (r) => itemsDone(r), align: 'right' },
    { header: 'STARTED', value: (r) => formatAge(r.createdAt, now) },
    { header: 'DURATION', value: (r) => runDuration(r, now), align: 'right' },
    { header: 'ERROR', value: (r) => (r.error ? `${r.error.step}: ${r.error.code}` : '') },
  ]);
}

function errorText(run: PipelineRun): string {
  const e = run.error;
  return e ? `step ${e.step} (task ${e.taskId}): ${e.code}: ${e.message}` : '-';
}

export function runFields(run: PipelineRun, now: number = Date.now()): string {
  return fields([
    ['run', run.id],
    ['pipeline', `${run.pipeline} (${run.mode}, on failure ${run.onFailure})`],
    ['status', statusText(run)],
    ['progress', `steps ${stepsDone(run)}, items ${itemsDone(run)}`],
    ['duration', runDuration(run, now)],
    ['input', formatValue(run.input)],
    ['output', formatValue(run.output)],
    ['error', errorText(run)],
    ['batch', run.batch ? `${run.batch.id} #${run.batch.index}` : '-'],
    ['started', formatDateTime(run.createdAt)],
    ['ended', formatDateTime(run.endedAt)],
  ]);
}

/** One line per change while following a run: `running  steps 2/4  items 7/12  transform`. */
export function runStateLine(run: PipelineRun): string {
  const active = run.steps
    .filter((s) => s.status === 'running' || s.status === 'retrying')
    .map((s) => (s.items === null ? s.name : `${s.name} ${s.progress.done}/${s.progress.total}`));
  const items = run.items.total === 0 ? '' : `  items ${itemsDone(run)}`;
  const now = active.length > 0 ? `  ${active.join(', ')}` : '';
  return `${statusText(run)}  steps ${stepsDone(run)}${items}${now}`;
}

/** The last line of `run --wait`: how the run ended, and its output or its first failure. */
export function runSummary(run: PipelineRun): string {
  const took = run.durationMs === null ? '' : ` in ${formatDuration(run.durationMs)}`;
  if (run.status === 'completed') return `completed${took}; output: ${formatValue(run.output)}`;
  const error = run.error
    ? `: step ${run.error.step}: ${run.error.code}: ${run.error.message}`
    : '';
  return `${run.status}${took} (steps ${stepsDone(run)})${error}`;
}

export function batchSummary(batch: PipelineBatch): string {
  const counts = [
    `${batch.completed} completed`,
    ...(batch.failed > 0 ? [`${batch.failed} failed`] : []),
    ...(batch.cancelled > 0 ? [`${batch.cancelled} cancelled`] : []),
    ...(batch.running > 0 ? [`${batch.running} running`] : []),
  ];
  return `batch ${batch.id} (${batch.pipeline}): ${counts.join(', ')} of ${batch.total}`;
}

export function batchTable(batch: PipelineBatch): string {
  return table(
    batch.runs.map((r, index) => ({ ...r, index })),
    [
      { header: '#', value: (r) => String(r.index), align: 'right' },
      { header: 'RUN', value: (r) => r.id },
      { header: 'STATUS', value: (r) => r.status },
      { header: 'OUTPUT', value: (r) => formatValue(r.output, 80) },
    ],
  );
}
