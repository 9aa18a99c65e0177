/**
 * The scheduler: a periodic service any process may host, as many at once as run. A pass reads
 * the schedules that are due (or have a tick waiting for its previous run), plans each one's
 * ticks from its cursor (tick-plan.ts) and hands them to `store.scheduleFire`, which writes each
 * tick with its task exactly once: a scheduler that planned from a cursor another one moved
 * writes nothing (`moved`), and the next pass plans again from the new cursor. No leader, no
 * lock held between passes; a scheduler that dies mid-pass leaves nothing half-written.
 *
 * `pass()` is callable directly (tests drive it with a manual clock); the service runs it every
 * `pollMs`. Passes never overlap: one asked for while another runs waits for it, then runs.
 */
import type { Clock } from '../core/clock.ts';
import type { AnyTaskDefinition } from '../core/define-task.ts';
import { TaskmillError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { buildScheduledTask } from '../core/schedule-definition.ts';
import { parseCron } from '../core/schedule-expression.ts';
import type { Service } from '../core/service.ts';
import type { Store, StoredSchedule, TickOutcome } from '../store/contract.ts';
import { planTicks } from './tick-plan.ts';

export interface SchedulerOptions {
  /** Time between passes. Default 1,000 ms. */
  pollMs?: number;
  /** A tick older than this when a pass sees it was missed (no scheduler ran): the catch-up
   * policy decides what becomes of it. Default 60,000 ms. */
  lateAfterMs?: number;
}

export const DEFAULT_POLL_MS = 1_000;
export const DEFAULT_LATE_AFTER_MS = 60_000;
/** Ticks one schedule may have handled in one pass; the rest wait for the next pass. */
export const MAX_TICKS_PER_PASS = 1_000;
/** Schedules one pass reads; more wait for the next pass. */
const DUE_PER_PASS = 500;

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  definitions: ReadonlyMap<string, AnyTaskDefinition>;
  bus: EventBus;
  /** Told when a pass made tasks: local workers may claim them at once. */
  onTasks?: () => void;
  /** Told once per pass and schedule whose ticks were skipped because its task cannot be built.
   * Default `console.warn`. */
  warn?: (message: string) => void;
}

/** What one pass did. */
export interface SchedulerPass {
  /** Ticks that made a task (a released waiting tick included). */
  fired: number;
  skipped: number;
  /** Ticks recorded as waiting for their previous run. */
  waiting: number;
  /** Schedules another scheduler had handled first: nothing written here. */
  moved: number;
  /** Schedules of a task type this process does not define: left to a process that does. */
  unknownType: number;
}

function emptyPass(): SchedulerPass {
  return { fired: 0, skipped: 0, waiting: 0, moved: 0, unknownType: 0 };
}

export class Scheduler {
  private readonly deps: SchedulerDeps;
  readonly pollMs: number;
  readonly lateAfterMs: number;
  private last: Promise<unknown> = Promise.resolve();

  constructor(deps: SchedulerDeps, options: SchedulerOptions = {}) {
    this.deps = deps;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  }

  /** The service a ServiceHost runs: a pass at once, then one every `pollMs`. */
  service(): Service {
    return {
      name: 'scheduler',
      everyMs: this.pollMs,
      immediately: true,
      run: async () => {
        await this.pass();
      },
    };
  }

  /** One pass over the due schedules, after any pass in flight. */
  pass(): Promise<SchedulerPass> {
    const run = this.last.then(
      () => this.runPass(),
      () => this.runPass(),
    );
    this.last = run;
    return run;
  }

  private async runPass(): Promise<SchedulerPass> {
    const now = this.deps.clock.now();
    const due = await this.deps.store.scheduleListDue({ now, limit: DUE_PER_PASS });
    const report = emptyPass();
    let failure: unknown = null;
    for (const s of due) {
      try {
        await this.handle(s, now, report);
      } catch (error) {
        // One schedule's failure (the store refused a write) stops no other.
        failure ??= error;
      }
    }
    if (report.fired > 0) this.deps.onTasks?.();
    if (failure !== null) throw failure;
    return report;
  }

  private async handle(s: StoredSchedule, now: number, report: SchedulerPass): Promise<void> {
    if (!this.deps.definitions.has(s.task)) {
      report.unknownType++;
      return;
    }
    // Build one task first, outside the transaction: a schedule whose task cannot be built (its
    // input no longer fits a changed schema) records its due ticks as skipped, once each, and
    // says why; the other schedules and the next ticks go on.
    const invalid = this.unbuildable(s, now);
    const expression = parseCron(s.cron, s.timezone);
    const plan = planTicks({
      cursorAt: s.cursorAt,
      now,
      lateAfterMs: this.lateAfterMs,
      catchUp: s.catchUp,
      catchUpWindowMs: s.catchUpWindowMs,
      next: (after) => expression.next(after),
      maxTicks: MAX_TICKS_PER_PASS,
    });
    // Nothing due, only a waiting tick that cannot be given its task: nothing to write.
    if (invalid !== null && plan.ticks.length === 0) return;
    const ticks =
      invalid === null ? plan.ticks : plan.ticks.map((t) => ({ ...t, skip: t.skip ?? 'invalid' }));
    const result = await this.deps.store.scheduleFire({
      now,
      name: s.name,
      advance: { cursorAt: s.cursorAt, cursorTo: plan.cursorTo, nextAt: plan.nextAt },
      ticks,
      holdWaiting: invalid !== null,
      newTask: (scheduledAt) => buildScheduledTask(this.deps.definitions, s, scheduledAt, now),
    });
    if (!result.ok) {
      // Moved or disabled by someone else since the list was read: nothing was written.
      report.moved++;
      return;
    }
    for (const t of result.ticks) this.record(s, t, report, now);
    const refused = result.ticks.filter((t) => t.skipped === 'invalid').length;
    if (invalid !== null && refused > 0) {
      const ticksWord = refused === 1 ? '1 tick' : `${refused} ticks`;
      this.warn(
        `taskmill: schedule "${s.name}" cannot build its task, ${ticksWord} recorded skipped (invalid): ${invalid.code}: ${invalid.message}`,
      );
    }
  }

  /** The refusal of the schedule's task as it stands, or null when a tick can submit it. */
  private unbuildable(s: StoredSchedule, now: number): TaskmillError | null {
    try {
      buildScheduledTask(this.deps.definitions, s, now, now);
      return null;
    } catch (error) {
      if (error instanceof TaskmillError) return error;
      throw error;
    }
  }

  private warn(message: string): void {
    (this.deps.warn ?? console.warn)(message);
  }

  private record(s: StoredSchedule, t: TickOutcome, report: SchedulerPass, now: number): void {
    if (t.waiting) {
      report.waiting++;
      return;
    }
    if (t.taskId === null) {
      report.skipped++;
      emitSkipped(this.deps.bus, s.name, t);
      return;
    }
    report.fired++;
    emitFired(this.deps.bus, s, t, now);
  }
}

/** `schedule.skipped` for a tick that made no task. */
export function emitSkipped(bus: EventBus, schedule: string, t: TickOutcome): void {
  if (!bus.has('schedule.skipped') || t.skipped === null) return;
  bus.emit('schedule.skipped', {
    schedule,
    scheduledAt: new Date(t.scheduledAt),
    reason: t.skipped,
  });
}

/** `schedule.fired`, and the new task's first `task.status`, for a tick that made a task. */
export function emitFired(
  bus: EventBus,
  s: { name: string; task: string; queue: string },
  t: TickOutcome,
  now: number,
): void {
  const taskId = t.taskId as string;
  if (bus.has('task.status')) {
    bus.emit('task.status', {
      taskId,
      type: s.task,
      queue: s.queue,
      from: null,
      to: 'queued',
      at: new Date(now),
      reason: t.manual ? `run now of schedule ${s.name}` : `schedule ${s.name}`,
      workerId: null,
    });
  }
  if (bus.has('schedule.fired')) {
    bus.emit('schedule.fired', {
      schedule: s.name,
      scheduledAt: new Date(t.scheduledAt),
      taskId,
      backfill: t.backfill,
      manual: t.manual,
    });
  }
}
