/**
 * Schedules between the store and the library: a checked definition becomes a stored schedule
 * (with its cursor), a stored one becomes the `Schedule` callers see, and `apply` works out what
 * to create, update and disable.
 */
import { priorityName } from '../core/priority.ts';
import type { Schedule, ScheduleApplyResult } from '../core/schedule.ts';
import type { ScheduleSpec } from '../core/schedule-definition.ts';
import { parseCron } from '../core/schedule-expression.ts';
import type { ScheduleStatsRow, StoredSchedule } from '../store/contract.ts';

/** The first fire time after `after`, or null. */
function nextAfter(s: Pick<ScheduleSpec, 'cron' | 'timezone'>, after: number): number | null {
  return parseCron(s.cron, s.timezone).next(after);
}

/** A new schedule: its cursor starts now, so no tick before its creation ever fires. */
export function newStored(spec: ScheduleSpec, now: number): StoredSchedule {
  return { ...spec, createdAt: now, updatedAt: now, cursorAt: now, nextAt: nextAfter(spec, now) };
}

/**
 * A stored schedule changed to `spec`. Enabled again after a pause, its cursor moves to now: the
 * ticks while it was disabled are not handled (not fired, not recorded).
 */
export function changedStored(
  current: StoredSchedule,
  spec: ScheduleSpec,
  now: number,
): StoredSchedule {
  const cursorAt =
    !current.enabled && spec.enabled ? Math.max(now, current.cursorAt) : current.cursorAt;
  return {
    ...spec,
    createdAt: current.createdAt,
    updatedAt: now,
    cursorAt,
    nextAt: nextAfter(spec, cursorAt),
  };
}

/** The schedule as the library and the API show it. */
export function toSchedule(
  s: StoredSchedule,
  row: ScheduleStatsRow | undefined,
  empty: ScheduleStatsRow,
  now: number,
): Schedule {
  const stats = row ?? empty;
  return {
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    task: s.task,
    input: s.input,
    priority: priorityName(s.priority),
    queue: s.queue,
    maxAttempts: s.maxAttempts,
    timeout: s.timeout,
    enabled: s.enabled,
    description: s.description,
    overlap: s.overlap,
    catchUp: s.catchUp,
    catchUpWindowMs: s.catchUpWindowMs,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
    lastRunAt: stats.lastRunAt === null ? null : new Date(stats.lastRunAt),
    nextRunAt: s.enabled ? dateOrNull(nextAfter(s, Math.max(now, s.cursorAt))) : null,
    stats: stats.stats,
  };
}

function dateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order (a
 * jsonb column reorders keys). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

const SPEC_KEYS = [
  'cron',
  'timezone',
  'task',
  'input',
  'priority',
  'queue',
  'maxAttempts',
  'timeout',
  'enabled',
  'description',
  'overlap',
  'catchUp',
  'catchUpWindowMs',
] as const satisfies readonly (keyof ScheduleSpec)[];

export function sameSpec(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return SPEC_KEYS.every((k) => canonical(a[k]) === canonical(b[k]));
}

export interface ApplyPlan {
  create: StoredSchedule[];
  update: StoredSchedule[];
  result: ScheduleApplyResult;
}

/** What `apply` writes so that the stored schedules match `specs` (names unique, checked). */
export function planApply(specs: ScheduleSpec[], stored: StoredSchedule[], now: number): ApplyPlan {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const wanted = new Set(specs.map((s) => s.name));
  const plan: ApplyPlan = {
    create: [],
    update: [],
    result: { created: [], updated: [], unchanged: [], disabled: [] },
  };
  for (const spec of specs) {
    const current = byName.get(spec.name);
    if (current === undefined) {
      plan.create.push(newStored(spec, now));
      plan.result.created.push(spec.name);
    } else if (sameSpec(current, spec)) {
      plan.result.unchanged.push(spec.name);
    } else {
      plan.update.push(changedStored(current, spec, now));
      plan.result.updated.push(spec.name);
    }
  }
  for (const s of stored) {
    if (wanted.has(s.name) || !s.enabled) continue;
    plan.update.push(changedStored(s, { ...s, enabled: false }, now));
    plan.result.disabled.push(s.name);
  }
  return plan;
}
