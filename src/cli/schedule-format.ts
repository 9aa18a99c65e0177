/** How `taskmill schedules …` prints schedules, runs and the daily report for people. */
import type {
  Schedule,
  ScheduleApplyResult,
  ScheduleDayReport,
  ScheduleRun,
} from '../core/schedule.ts';
import { fields, formatDateTime, formatDuration, formatValue, table } from './format.ts';

/** 0..1 as a whole percentage; `-` before any run ended. */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(rate * 100)}%`;
}

function ms(value: number | null): string {
  return value === null ? '-' : formatDuration(value);
}

/** A time as the schedule's zone reads it, `2026-12-07 10:00:00 Asia/Shanghai`. */
export function zoned(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  return `${date} ${part('hour')}:${part('minute')}:${part('second')} ${timezone}`;
}

function skippedCount(s: Schedule): number {
  return s.stats.skipped.overlap + s.stats.skipped.catch_up + s.stats.skipped.invalid;
}

export function schedulesTable(list: readonly Schedule[]): string {
  if (list.length === 0) return 'no schedules';
  return table(list, [
    { header: 'NAME', value: (s) => s.name },
    { header: 'CRON', value: (s) => s.cron },
    { header: 'ZONE', value: (s) => s.timezone },
    { header: 'TASK', value: (s) => s.task },
    { header: 'ENABLED', value: (s) => (s.enabled ? 'yes' : 'no') },
    { header: 'LAST RUN', value: (s) => formatDateTime(s.lastRunAt) },
    { header: 'NEXT RUN', value: (s) => formatDateTime(s.nextRunAt) },
    { header: 'RUNS', value: (s) => String(s.stats.runs), align: 'right' },
    { header: 'SUCCESS', value: (s) => formatRate(s.stats.successRate), align: 'right' },
    { header: 'SKIPPED', value: (s) => String(skippedCount(s)), align: 'right' },
  ]);
}

export function scheduleFields(s: Schedule): string {
  const { stats } = s;
  const timeout = s.timeout
    ? [
        s.timeout.softMs && `soft ${ms(s.timeout.softMs)}`,
        s.timeout.hardMs && `hard ${ms(s.timeout.hardMs)}`,
      ]
        .filter(Boolean)
        .join(', ')
    : "the task type's";
  const window = s.catchUp === 'all' ? ` (window ${ms(s.catchUpWindowMs)})` : '';
  return fields([
    ['name', s.name],
    ['cron', s.cron],
    ['time zone', s.timezone],
    ['task', s.task],
    ['input', formatValue(s.input)],
    ['priority', String(s.priority)],
    ['queue', s.queue],
    ['max attempts', s.maxAttempts === null ? "the task type's" : String(s.maxAttempts)],
    ['timeout', timeout],
    ['enabled', s.enabled ? 'yes' : 'no'],
    ['description', s.description ?? '-'],
    ['overlap', s.overlap],
    ['catch-up', `${s.catchUp}${window}`],
    ['last run', formatDateTime(s.lastRunAt)],
    [
      'next run',
      s.nextRunAt ? `${formatDateTime(s.nextRunAt)}  (${zoned(s.nextRunAt, s.timezone)})` : '-',
    ],
    ['runs', `${stats.runs} (${stats.completed} completed, ${stats.failed} failed)`],
    ['success rate', formatRate(stats.successRate)],
    [
      'duration',
      `mean ${ms(stats.meanDurationMs)}, min ${ms(stats.minDurationMs)}, max ${ms(stats.maxDurationMs)}`,
    ],
    [
      'skipped',
      `${stats.skipped.overlap} overlap, ${stats.skipped.catch_up} catch-up, ${stats.skipped.invalid} invalid`,
    ],
    ['created', formatDateTime(s.createdAt)],
    ['updated', formatDateTime(s.updatedAt)],
  ]);
}

function outcome(r: ScheduleRun): string {
  if (r.skipped) return `skipped (${r.skipped === 'catch_up' ? 'catch-up' : r.skipped})`;
  if (r.taskId === null) return 'waiting (queued behind the previous run)';
  return r.status ?? 'task deleted';
}

export function runsTable(runs: readonly ScheduleRun[]): string {
  if (runs.length === 0) return 'no runs yet';
  return table(runs, [
    { header: 'SCHEDULED AT', value: (r) => formatDateTime(r.scheduledAt) },
    { header: 'KIND', value: (r) => (r.manual ? 'run now' : r.backfill ? 'backfill' : 'tick') },
    { header: 'TASK', value: (r) => r.taskId ?? '-' },
    { header: 'OUTCOME', value: outcome },
    { header: 'DURATION', value: (r) => ms(r.durationMs), align: 'right' },
  ]);
}

export function reportTable(days: readonly ScheduleDayReport[]): string {
  if (days.length === 0) return 'no schedules';
  return table(days, [
    { header: 'DAY (UTC)', value: (d) => d.day },
    { header: 'SCHEDULE', value: (d) => d.schedule },
    { header: 'RUNS', value: (d) => String(d.runs), align: 'right' },
    { header: 'COMPLETED', value: (d) => String(d.completed), align: 'right' },
    { header: 'FAILED', value: (d) => String(d.failed), align: 'right' },
    { header: 'SKIPPED', value: (d) => String(d.skipped), align: 'right' },
    { header: 'SUCCESS', value: (d) => formatRate(d.successRate), align: 'right' },
    { header: 'MEAN', value: (d) => ms(d.meanDurationMs), align: 'right' },
    { header: 'MAX', value: (d) => ms(d.maxDurationMs), align: 'right' },
  ]);
}

export function applyLine(result: ScheduleApplyResult): string {
  return (['created', 'updated', 'unchanged', 'disabled'] as const)
    .map((what) => {
      const names = result[what];
      return `${names.length} ${what}${names.length > 0 && what !== 'unchanged' ? ` (${names.join(', ')})` : ''}`;
    })
    .join(', ');
}
