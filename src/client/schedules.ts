/**
 * `client.schedules`: the schedule operations of the library (`mill.schedules`,
 * ScheduleOperations in src/core/schedule.ts) over `/api/v1/schedules`, with the same names,
 * arguments and results: times come back as `Date`. Definitions are judged by the server, which
 * knows the task types; the options of the calls themselves are checked here.
 */
import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type {
  Schedule,
  ScheduleApplyResult,
  ScheduleDayReport,
  ScheduleOperations,
  ScheduleRun,
  ScheduleStats,
  SkipReason,
} from '../core/schedule.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Decoder } from './decode.ts';
import type { Transport } from './http.ts';

export const SCHEDULE_RUNS_SPEC: OptionSpec = optionSpec<{ limit?: number }>({
  limit: is.whole(1, 1000),
});
/** `next`'s arguments after the name, checked as options are. */
const NEXT_SPEC: OptionSpec = optionSpec<{ count?: number; from?: Date }>({
  count: is.whole(1, 1000),
  from: is.time,
});
export const SCHEDULE_REPORT_SPEC: OptionSpec = optionSpec<{ days?: number }>({
  days: is.whole(1, 366),
});

type Json = Record<string, unknown>;

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function stats(o: Json): ScheduleStats {
  const skipped = (o['skipped'] ?? {}) as Partial<Record<SkipReason, number>>;
  return {
    runs: Number(o['runs'] ?? 0),
    completed: Number(o['completed'] ?? 0),
    failed: Number(o['failed'] ?? 0),
    successRate: numberOrNull(o['successRate']),
    meanDurationMs: numberOrNull(o['meanDurationMs']),
    minDurationMs: numberOrNull(o['minDurationMs']),
    maxDurationMs: numberOrNull(o['maxDurationMs']),
    skipped: {
      overlap: skipped.overlap ?? 0,
      catch_up: skipped.catch_up ?? 0,
      invalid: skipped.invalid ?? 0,
    },
  };
}

function schedule(decode: Decoder, value: unknown): Schedule {
  const o = decode.object(value, 'a schedule', ['name', 'cron', 'task', 'createdAt']);
  const name = String(o['name']);
  const at = (key: string) => `schedule ${name}.${key}`;
  return {
    ...(o as unknown as Schedule),
    input: o['input'] ?? null,
    maxAttempts: numberOrNull(o['maxAttempts']),
    timeout: (o['timeout'] ?? null) as Schedule['timeout'],
    description: typeof o['description'] === 'string' ? o['description'] : null,
    createdAt: decode.date(o['createdAt'], at('createdAt')),
    updatedAt: decode.date(o['updatedAt'], at('updatedAt')),
    lastRunAt: decode.dateOrNull(o['lastRunAt'], at('lastRunAt')),
    nextRunAt: decode.dateOrNull(o['nextRunAt'], at('nextRunAt')),
    stats: stats(decode.object(o['stats'] ?? {}, at('stats'))),
  };
}

function run(decode: Decoder, value: unknown): ScheduleRun {
  const o = decode.object(value, 'a schedule run', ['schedule', 'scheduledAt']);
  return {
    schedule: String(o['schedule']),
    scheduledAt: decode.date(o['scheduledAt'], 'run.scheduledAt'),
    backfill: o['backfill'] === true,
    manual: o['manual'] === true,
    taskId: typeof o['taskId'] === 'string' ? o['taskId'] : null,
    skipped: (o['skipped'] ?? null) as SkipReason | null,
    status: (o['status'] ?? null) as TaskStatus | null,
    durationMs: numberOrNull(o['durationMs']),
  };
}

function applyResult(decode: Decoder, value: unknown): ScheduleApplyResult {
  const o = decode.object(value, 'the apply result');
  const list = (key: string) => (Array.isArray(o[key]) ? o[key].map(String) : []);
  return {
    created: list('created'),
    updated: list('updated'),
    unchanged: list('unchanged'),
    disabled: list('disabled'),
  };
}

export function scheduleOperations(http: Transport, decode: Decoder): ScheduleOperations {
  const path = (name: string, more = '') => `/api/v1/schedules/${encodeURIComponent(name)}${more}`;
  const one = async (method: 'GET' | 'POST' | 'PATCH', p: string, body?: unknown) =>
    schedule(decode, await http.json({ method, path: p, body }));
  return {
    add: (definition) => one('POST', '/api/v1/schedules', definition),
    update: (name, changes) => one('PATCH', path(name), changes),
    enable: (name) => one('POST', path(name, '/enable')),
    disable: (name) => one('POST', path(name, '/disable')),
    async runNow(name) {
      return run(decode, await http.json({ method: 'POST', path: path(name, '/run') }));
    },
    async remove(name) {
      await http.json({ method: 'DELETE', path: path(name) });
    },
    async list() {
      const body = await http.json({ method: 'GET', path: '/api/v1/schedules' });
      return decode.array(body, 'the schedules').map((s) => schedule(decode, s));
    },
    get: (name) => one('GET', path(name)),
    async next(name, count, from) {
      checkOptions(NEXT_SPEC, { count, from });
      const query = { count, from: from === undefined ? undefined : new Date(from).toISOString() };
      const body = await http.json({ method: 'GET', path: path(name, '/next'), query });
      return decode.array(body, 'the fire times').map((t) => decode.date(t, 'a fire time'));
    },
    async runs(name, options = {}) {
      checkOptions(SCHEDULE_RUNS_SPEC, options, 'options');
      const query = { limit: options.limit };
      const body = await http.json({ method: 'GET', path: path(name, '/runs'), query });
      return decode.array(body, 'the runs').map((r) => run(decode, r));
    },
    async apply(definitions) {
      const body = { schedules: definitions };
      return applyResult(
        decode,
        await http.json({ method: 'PUT', path: '/api/v1/schedules', body }),
      );
    },
    async report(options = {}) {
      checkOptions(SCHEDULE_REPORT_SPEC, options, 'options');
      const query = { days: options.days };
      const body = await http.json({ method: 'GET', path: '/api/v1/schedules/report', query });
      return decode.array(body, 'the report') as ScheduleDayReport[];
    },
  };
}
