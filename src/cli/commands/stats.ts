import type { Command } from 'commander';
import { STATUSES } from '../../core/status.ts';
import type { TaskmillStats } from '../../mill/types.ts';
import { EXIT } from '../exit-codes.ts';
import { fields, formatDuration, table, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';

interface StatsFlags {
  json?: boolean;
}

export function renderStats(stats: TaskmillStats): string {
  const rate = stats.successRate === null ? '-' : `${(stats.successRate * 100).toFixed(1)}%`;
  const d = stats.durationMs;
  const summary = fields([
    ['tasks', String(stats.total)],
    ['success rate', rate],
    [
      'duration',
      d.samples === 0
        ? '-'
        : `mean ${formatDuration(d.mean)}, p50 ${formatDuration(d.p50)}, p95 ${formatDuration(d.p95)} (${d.samples} attempts)`,
    ],
    [
      'last minute',
      `${stats.lastMinute.completed} completed, ${stats.lastMinute.failed} failed, ${stats.lastMinute.perSecond.toFixed(2)}/s`,
    ],
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
  return `${summary}\n\n${byType}`;
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
    .description('Counts by status and type, success rate, durations, throughput')
    .option('--json', 'print the stats as JSON')
    .action(async (flags: StatsFlags, command: Command) => {
      process.exitCode = await statsCommand(flags, globalsOf(command));
    });
}
