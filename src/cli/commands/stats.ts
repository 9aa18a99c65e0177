import type { Command } from 'commander';
import type { StatsGroup, TaskmillStats } from '../../core/stats-report.ts';
import { STATUSES } from '../../core/status.ts';
import { EXIT } from '../exit-codes.ts';
import { type Column, fields, formatDuration, table, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';

interface StatsFlags {
  json?: boolean;
}

function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}

function lastDay(g: StatsGroup): { completed: number; failed: number } {
  let completed = 0;
  let failed = 0;
  for (const h of g.hourly) {
    completed += h.completed;
    failed += h.failed;
  }
  return { completed, failed };
}

/** One line per type or queue: the figures that tell a slow or failing one from the rest. */
function groupTable(header: string, groups: Record<string, StatsGroup>): string | null {
  const rows = Object.entries(groups)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, g]) => ({ name, g, day: lastDay(g) }));
  if (rows.length === 0) return null;
  type Row = (typeof rows)[number];
  const right = (h: string, value: (r: Row) => string): Column<Row> => ({
    header: h,
    value,
    align: 'right',
  });
  const ms = (r: Row, p: 'p50' | 'p95' | 'p99'): string =>
    r.g.durationMs.samples === 0 ? '-' : formatDuration(r.g.durationMs[p]);
  return table(rows, [
    { header, value: (r) => r.name },
    right('TASKS', (r) => String(r.g.total)),
    right('SUCCESS', (r) => formatRate(r.g.successRate)),
    right('P50', (r) => ms(r, 'p50')),
    right('P95', (r) => ms(r, 'p95')),
    right('P99', (r) => ms(r, 'p99')),
    right('ATTEMPTS 24H OK', (r) => String(r.day.completed)),
    right('FAILED', (r) => String(r.day.failed)),
    right('PER SEC', (r) => r.g.lastMinute.perSecond.toFixed(2)),
  ]);
}

export function renderStats(stats: TaskmillStats): string {
  const d = stats.durationMs;
  const day = lastDay(stats);
  // Tasks by their outcome, attempts apart: a task that failed once and then completed is one
  // completed task and two attempts, one of them failed.
  const ended = STATUSES.filter((st) => stats.byStatus[st] > 0)
    .map((st) => `${stats.byStatus[st]} ${st}`)
    .join(', ');
  const summary = fields([
    ['tasks', ended === '' ? String(stats.total) : `${stats.total} (${ended})`],
    ['success rate', formatRate(stats.successRate)],
    [
      'duration',
      d.samples === 0
        ? '-'
        : `mean ${formatDuration(d.mean)}, p50 ${formatDuration(d.p50)}, p95 ${formatDuration(d.p95)}, p99 ${formatDuration(d.p99)} (${d.samples} attempts)`,
    ],
    [
      'attempts, last minute',
      `${stats.lastMinute.completed} completed, ${stats.lastMinute.failed} failed, ${stats.lastMinute.perSecond.toFixed(2)}/s`,
    ],
    ['attempts, last 24 h', `${day.completed} completed, ${day.failed} failed`],
  ]);
  // Only the statuses that occur, so the table stays narrow.
  const shown = STATUSES.filter((s) => stats.byStatus[s] > 0);
  const types = Object.keys(stats.byType).sort();
  if (types.length === 0) return summary;
  const rows = [...types.map((type) => ({ type, counts: stats.byType[type] ?? {} }))];
  rows.push({ type: 'all', counts: stats.byStatus });
  const byType = table(rows, [
    { header: 'TYPE', value: (r) => r.type },
    ...shown.map((status) => ({
      header: status.toUpperCase(),
      value: (r: (typeof rows)[number]) => String(r.counts[status] ?? 0),
      align: 'right' as const,
    })),
  ]);
  const groups = [groupTable('TYPE', stats.perType), groupTable('QUEUE', stats.perQueue)];
  return [summary, byType, ...groups.filter((g) => g !== null)].join('\n\n');
}

export async function statsCommand(flags: StatsFlags, globals: GlobalOptions): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const stats = await mill.stats();
    await write(flags.json ? toJson(stats) : renderStats(stats));
    return EXIT.ok;
  });
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description(
      'Counts, success rate, durations (p50 to p99), throughput and the last 24 hours, per type and queue',
    )
    .option('--json', 'print the stats as JSON')
    .action(async (flags: StatsFlags, command: Command) => {
      process.exitCode = await statsCommand(flags, globalsOf(command));
    });
}
