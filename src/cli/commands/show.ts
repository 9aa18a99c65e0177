import type { Command } from 'commander';
import type { Execution, HistoryEntry } from '../../core/task.ts';
import { EXIT } from '../exit-codes.ts';
import {
  fields,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatTime,
  formatValue,
  table,
  toJson,
} from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import type { ArtifactView, TaskView } from '../task-access.ts';

interface ShowFlags {
  json?: boolean;
}

export interface TaskDetail {
  task: TaskView;
  history: HistoryEntry[];
  /** null over `--server`: the HTTP API does not serve attempts. */
  executions: Execution[] | null;
  artifacts: ArtifactView[];
}

/** `nightly, tick 2026-12-07T02:00:00.000Z (backfill)`: the schedule that made the task. */
function scheduleLink(task: TaskView): string {
  const link = task.schedule;
  if (!link) return '-';
  const kind = link.manual ? ' (run now)' : link.backfill ? ' (backfill)' : '';
  return `${link.schedule}, tick ${link.scheduledAt.toISOString()}${kind}`;
}

function taskFields(task: TaskView): string {
  const progress =
    task.progress === null
      ? '-'
      : `${formatPercent(task.progress)}${task.progressMessage ? ` ${task.progressMessage}` : ''}`;
  const error = task.error ? `${task.error.code}: ${task.error.message}` : '-';
  return fields([
    ['id', task.id],
    // Most tasks have no name: the line shows only for one that has.
    ...(task.name === null ? [] : [['name', task.name] as [string, string]]),
    ['type', task.type],
    ['status', task.cancelRequested ? `${task.status} (cancel requested)` : task.status],
    ['queue', task.queue],
    ['priority', task.priority],
    ['attempt', `${task.attempt}/${task.maxAttempts}`],
    ['progress', progress],
    ['input', formatValue(task.input)],
    ['output', formatValue(task.output)],
    ['error', error],
    ['idempotency key', task.idempotencyKey ?? '-'],
    ['run at', formatDateTime(task.runAt)],
    ['created', formatDateTime(task.createdAt)],
    ['started', formatDateTime(task.startedAt)],
    ['finished', formatDateTime(task.finishedAt)],
    ['worker', task.workerId ?? '-'],
    ['schedule', scheduleLink(task)],
  ]);
}

function historyTable(history: readonly HistoryEntry[]): string {
  return table(history, [
    { header: 'AT', value: (h) => formatTime(h.at) },
    { header: 'FROM', value: (h) => h.from ?? '-' },
    { header: 'TO', value: (h) => h.to },
    { header: 'WORKER', value: (h) => h.workerId ?? '-' },
    { header: 'REASON', value: (h) => h.reason ?? '' },
  ]);
}

/** Where an attempt ran: the executor's metrics name the thread or process. */
function ranIn(e: Execution): string {
  const thread = e.metrics?.['executorThreadId'];
  const pid = e.metrics?.['executorPid'];
  if (thread !== undefined) return `thread ${thread}`;
  if (pid !== undefined) return `process ${pid}`;
  return e.metrics ? 'inline' : '-';
}

function executionTable(executions: readonly Execution[]): string {
  return table(executions, [
    { header: 'ATTEMPT', value: (e) => String(e.attempt), align: 'right' },
    { header: 'STARTED', value: (e) => formatTime(e.startedAt) },
    {
      header: 'TOOK',
      value: (e) => (e.metrics ? formatDuration(e.metrics.durationMs) : '-'),
      align: 'right',
    },
    { header: 'OUTCOME', value: (e) => e.outcome ?? 'running' },
    { header: 'RAN IN', value: (e) => ranIn(e) },
    { header: 'WORKER', value: (e) => e.workerId },
    { header: 'ERROR', value: (e) => (e.error ? `${e.error.code}: ${e.error.message}` : '') },
  ]);
}

function artifactTable(artifacts: readonly ArtifactView[], withPath: boolean): string {
  return table(artifacts, [
    { header: 'NAME', value: (a) => a.name },
    { header: 'SIZE', value: (a) => formatBytes(a.size), align: 'right' },
    { header: 'SHA-256', value: (a) => a.sha256.slice(0, 16) },
    ...(withPath ? [{ header: 'PATH', value: (a: ArtifactView) => a.path ?? '-' }] : []),
  ]);
}

/** `dataDir` null: read through a server, which keeps the files (and attempts) to itself. */
export function renderDetail(detail: TaskDetail, dataDir: string | null): string {
  const parts = [taskFields(detail.task)];
  parts.push(`\nhistory\n${historyTable(detail.history)}`);
  if (detail.executions !== null && detail.executions.length > 0) {
    parts.push(`\nexecutions\n${executionTable(detail.executions)}`);
  }
  if (detail.artifacts.length > 0) {
    const where = dataDir === null ? 'on the server' : `under ${dataDir}`;
    parts.push(`\nartifacts (${where})\n${artifactTable(detail.artifacts, dataDir !== null)}`);
  }
  return parts.join('\n');
}

export async function showCommand(
  id: string,
  flags: ShowFlags,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const task = await mill.get(id);
    const [history, executions, artifacts] = await Promise.all([
      mill.history(id),
      mill.executions(id),
      mill.artifacts(id),
    ]);
    const detail: TaskDetail = { task, history, executions, artifacts };
    await write(flags.json ? toJson(detail) : renderDetail(detail, mill.dataDir));
    return EXIT.ok;
  });
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('Show a task with its status history, attempts and artifacts')
    .argument('<id>', 'task id')
    .option('--json', 'print { task, history, executions, artifacts } as JSON')
    .action(async (id: string, flags: ShowFlags, command: Command) => {
      process.exitCode = await showCommand(id, flags, globalsOf(command));
    });
}
