/**
 * `mill.schedules` (the ScheduleOperations of src/core/schedule.ts) and `mill.startScheduler()`.
 * Every definition is checked before the store is touched; `apply` writes all or nothing.
 */
import { UnknownTaskTypeError, ValidationError } from '../core/errors.ts';
import { checkOptions, is, optionSpec } from '../core/options-check.ts';
import type {
  Schedule,
  ScheduleDefinition,
  ScheduleOperations,
  ScheduleRun,
} from '../core/schedule.ts';
import {
  buildScheduledTask,
  checkScheduleChanges,
  checkScheduleDefinition,
  definitionOf,
  describeIssues,
  type ScheduleSpec,
  scheduleInvalid,
} from '../core/schedule-definition.ts';
import { ScheduleExistsError, ScheduleNotFoundError } from '../core/schedule-errors.ts';
import { parseCron } from '../core/schedule-expression.ts';
import { emitFired } from '../scheduler/scheduler.ts';
import type { ScheduleSaveResult, StoredSchedule } from '../store/contract.ts';
import { emptyStats } from '../store/schedule-rows.ts';
import type { MillContext } from './mill-context.ts';
import { changedStored, newStored, planApply, toSchedule } from './schedule-records.ts';
import type { SchedulerHandle } from './scheduler-control.ts';

const DAY_MS = 86_400_000;
const MAX_COUNT = 1000;
const RUNS_SPEC = optionSpec<{ limit?: number }>({ limit: is.whole(1, MAX_COUNT) });
const REPORT_SPEC = optionSpec<{ days?: number }>({ days: is.whole(1, 366) });

function countOf(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_COUNT) {
    return value as number;
  }
  throw new ValidationError(
    'OPTIONS_INVALID',
    `"${path}" must be a whole number from 1 to ${MAX_COUNT}.`,
    [{ path, message: `expected a whole number from 1 to ${MAX_COUNT}` }],
  );
}

/**
 * A definition's refusal, with its place in an `apply` set in the paths and details. The message
 * names the entry once (1-based, as a person counts a file's entries) and each field once:
 * `Schedule "system_cleanup" (entry 2): field "cron": 61 is out of range for the minute field.`
 */
function atIndex(error: unknown, index: number, name: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const issues = error.issues.map((i) => ({ ...i, path: `[${index}].${i.path}` }));
  const which =
    typeof name === 'string'
      ? `Schedule "${name}" (entry ${index + 1})`
      : `Schedule (entry ${index + 1})`;
  const said = error.issues.length > 0 ? describeIssues(error.issues) : error.message;
  return new ValidationError(error.code, `${which}: ${said}`, issues, {
    ...error.details,
    index,
    ...(typeof name === 'string' ? { name } : {}),
  });
}

export function schedulesApi(ctx: MillContext) {
  const { store } = ctx;
  const defs = ctx.deps.definitions;

  async function stored(name: string): Promise<StoredSchedule> {
    ctx.assertOpen();
    const [s] = await store.scheduleList({ names: [String(name)] });
    if (s === undefined) throw new ScheduleNotFoundError(String(name));
    return s;
  }

  async function shown(list: StoredSchedule[]): Promise<Schedule[]> {
    if (list.length === 0) return [];
    const stats = await store.scheduleStatsGet({ names: list.map((s) => s.name) });
    const byName = new Map(stats.map((r) => [r.name, r]));
    const now = ctx.now();
    return list.map((s) => toSchedule(s, byName.get(s.name), emptyStats(s.name), now));
  }

  async function get(name: string): Promise<Schedule> {
    const [s] = await shown([await stored(name)]);
    return s as Schedule;
  }

  function refused(result: ScheduleSaveResult): void {
    if (result.ok) return;
    throw result.reason === 'exists'
      ? new ScheduleExistsError(result.name)
      : new ScheduleNotFoundError(result.name);
  }

  async function save(create: StoredSchedule[], update: StoredSchedule[]): Promise<void> {
    refused(await store.scheduleSave({ now: ctx.now(), create, update }));
  }

  async function update(
    name: string,
    changes: Partial<Omit<ScheduleDefinition, 'name'>>,
  ): Promise<Schedule> {
    checkScheduleChanges(changes);
    const current = await stored(name);
    const now = ctx.now();
    // A kept task type and input were checked when saved: enable, disable or a new expression
    // needs no definition of the type here (a CLI without the code, a type since removed).
    const checkTask = changes.task !== undefined || 'input' in changes;
    const merged = { ...definitionOf(current), ...changes };
    const spec = checkScheduleDefinition(merged, defs, now, checkTask);
    await save([], [changedStored(current, spec, now)]);
    return get(name);
  }

  async function runNow(name: string): Promise<ScheduleRun> {
    const s = await stored(name);
    if (!defs.has(s.task)) throw new UnknownTaskTypeError(s.task, [...defs.keys()]);
    // Two runs asked for in the same millisecond are two ticks: the second takes the next one.
    for (let attempt = 0; ; attempt++) {
      const now = ctx.now() + attempt;
      const result = await store.scheduleFire({
        now,
        name: s.name,
        advance: null,
        ticks: [{ fireAt: now, backfill: false, skip: null }],
        newTask: (scheduledAt) => buildScheduledTask(defs, s, scheduledAt, now),
      });
      if (!result.ok && result.reason === 'tick_exists' && attempt < 100) continue;
      if (!result.ok) throw new ScheduleNotFoundError(s.name);
      const tick = result.ticks[0];
      if (tick === undefined || tick.taskId === null) throw new Error('run now made no task');
      emitFired(ctx.deps.bus, s, tick, now);
      ctx.wakeWorkers();
      return {
        schedule: s.name,
        scheduledAt: new Date(tick.scheduledAt),
        backfill: false,
        manual: true,
        taskId: tick.taskId,
        skipped: null,
        status: 'queued',
        durationMs: null,
      };
    }
  }

  function checkAll(definitions: ScheduleDefinition[]): ScheduleSpec[] {
    if (!Array.isArray(definitions)) {
      throw scheduleInvalid([{ path: '(root)', message: 'expected an array of definitions' }]);
    }
    const now = ctx.now();
    const seen = new Map<string, number>();
    return definitions.map((d, i) => {
      let spec: ScheduleSpec;
      try {
        spec = checkScheduleDefinition(d, defs, now);
      } catch (error) {
        throw atIndex(error, i, (d as { name?: unknown } | null)?.name);
      }
      const first = seen.get(spec.name);
      if (first !== undefined) {
        const issue = {
          path: 'name',
          message: `"${spec.name}" is also the name of entry ${first + 1}`,
        };
        throw atIndex(scheduleInvalid([issue], spec.name), i, spec.name);
      }
      seen.set(spec.name, i);
      return spec;
    });
  }

  const schedules: ScheduleOperations = {
    async add(definition) {
      ctx.assertOpen();
      const spec = checkScheduleDefinition(definition, defs, ctx.now());
      await save([newStored(spec, ctx.now())], []);
      return get(spec.name);
    },
    update,
    enable: (name) => update(name, { enabled: true }),
    disable: (name) => update(name, { enabled: false }),
    runNow,
    async remove(name) {
      ctx.assertOpen();
      if (!(await store.scheduleDelete({ name: String(name) }))) {
        throw new ScheduleNotFoundError(String(name));
      }
    },
    async list() {
      ctx.assertOpen();
      return shown(await store.scheduleList({}));
    },
    get,
    async next(name, count, from) {
      const n = countOf(count, 'count', 5);
      if (from !== undefined) checkOptions(optionSpec<{ from: Date }>({ from: is.time }), { from });
      const s = await stored(name);
      const after = from === undefined ? ctx.now() : +from;
      return parseCron(s.cron, s.timezone)
        .nextRuns(n, after)
        .map((t) => new Date(t));
    },
    async runs(name, options = {}) {
      checkOptions(RUNS_SPEC, options, 'options');
      await stored(name);
      return store.scheduleTickList({ name: String(name), limit: options.limit ?? 20 });
    },
    async apply(definitions) {
      ctx.assertOpen();
      const specs = checkAll(definitions);
      const plan = planApply(specs, await store.scheduleList({}), ctx.now());
      await save(plan.create, plan.update);
      return plan.result;
    },
    async report(options = {}) {
      ctx.assertOpen();
      checkOptions(REPORT_SPEC, options, 'options');
      const today = Math.floor(ctx.now() / DAY_MS) * DAY_MS;
      return store.scheduleReport({ since: today - ((options.days ?? 1) - 1) * DAY_MS });
    },
  };

  return {
    schedules,
    startScheduler(): SchedulerHandle {
      ctx.assertOpen();
      return ctx.scheduler.start();
    },
  };
}
