/** Builders for the schedule conformance tests: stored schedules, fire calls and finishing the
 * task a tick made. */
import { DEFAULT_CATCH_UP_WINDOW_MS } from '../../core/schedule-definition.ts';
import type { Store } from '../contract.ts';
import type {
  PlannedTick,
  ScheduleFireParams,
  ScheduleFireResult,
  StoredSchedule,
  TickOutcome,
} from '../schedule-contract.ts';
import { claim, MINUTE, newTask, settlementFor, T0, TYPE, WORKER_A } from './factories.ts';

/** A minutely schedule created at T0, its cursor at T0, its next tick at T0 + 1 min. */
export function storedSchedule(overrides: Partial<StoredSchedule> = {}): StoredSchedule {
  return {
    name: 'every-minute',
    cron: '* * * * *',
    timezone: 'UTC',
    task: TYPE,
    input: { n: 1 },
    priority: 2,
    queue: 'default',
    maxAttempts: null,
    timeout: null,
    enabled: true,
    description: null,
    overlap: 'allow',
    catchUp: 'none',
    catchUpWindowMs: DEFAULT_CATCH_UP_WINDOW_MS,
    createdAt: T0,
    updatedAt: T0,
    cursorAt: T0,
    nextAt: T0 + MINUTE,
    ...overrides,
  };
}

export async function createSchedule(
  store: Store,
  overrides: Partial<StoredSchedule> = {},
): Promise<StoredSchedule> {
  const s = storedSchedule(overrides);
  const saved = await store.scheduleSave({ now: s.createdAt, create: [s], update: [] });
  if (!saved.ok) throw new Error(`could not create schedule ${s.name}: ${saved.reason}`);
  return s;
}

/** Minutely ticks after `from`, fired (not skipped, not backfill). */
export function minuteTicks(from: number, count: number): PlannedTick[] {
  return Array.from({ length: count }, (_, i) => ({
    fireAt: from + (i + 1) * MINUTE,
    backfill: false,
    skip: null,
  }));
}

/** Fire `ticks` of `name` from cursor `cursorAt`, moving it to the last tick. */
export function fireParams(
  name: string,
  cursorAt: number,
  ticks: PlannedTick[],
  now = ticks.at(-1)?.fireAt ?? cursorAt,
): ScheduleFireParams {
  const cursorTo = ticks.at(-1)?.fireAt ?? cursorAt;
  return {
    now,
    name,
    advance: { cursorAt, cursorTo, nextAt: cursorTo + MINUTE },
    ticks,
    newTask: (scheduledAt) => newTask({ runAt: scheduledAt, input: { scheduledAt } }),
  };
}

/** The outcomes of a fire that must have been accepted. */
export function fired(result: ScheduleFireResult): TickOutcome[] {
  if (!result.ok) throw new Error(`the fire was refused: ${result.reason}`);
  return result.ticks;
}

/** Claim and complete the one ready task (the schedule's), at `at`, taking `runMs`. */
export async function finishReadyTask(store: Store, at: number, runMs = 0): Promise<string> {
  const [claimed] = await claim(store, { now: at, workerId: WORKER_A, limit: 1 });
  if (claimed === undefined) throw new Error('no ready task to finish');
  const results = await store.taskSettle({
    now: at + runMs,
    workerId: WORKER_A,
    items: [settlementFor(claimed)],
  });
  if (!results[0]?.ok) throw new Error('the settlement was refused');
  return claimed.task.id;
}
