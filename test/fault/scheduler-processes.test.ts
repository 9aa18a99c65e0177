/**
 * Scheduler processes with skewed clocks, the busiest one SIGKILLed every 7 simulated minutes and
 * started again: one simulated hour of a minutely and a five-minutely schedule still makes
 * exactly one task per tick, each to run at its tick. Real processes on one database; the test
 * plays the time: each step it sets every live process's clock (true time + its skew) and has
 * it run one pass, all at once, and waits for their answers. No sleeps.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { type Backend, MYSQL, POSTGRES, SQLITE } from '../helpers/backends.ts';
import type { ChildScript } from '../helpers/child-process.ts';
import {
  allTasks,
  BY_HAND,
  MINUTE,
  SECOND,
  SimulatedTime,
  T0,
  TASKS,
} from '../scheduler/simulation.ts';
import { type FaultPlace, useFaultHarness } from './harness.ts';
import { passLine } from './protocol.ts';

/** How far a process's clock is off the true time; from `stepsBackAt` on, 30 s further back. */
interface Slot {
  skewMs: number;
  stepsBackAt?: number;
}

const STEP_MS = 5 * SECOND;
const KILL_EVERY_MS = 7 * MINUTE;
const STEP_BACK_MS = 30 * SECOND;

const SETUPS: { backend: Backend; slots: Slot[] }[] = [
  {
    backend: POSTGRES,
    slots: [
      { skewMs: 2 * SECOND },
      { skewMs: -2 * SECOND },
      { skewMs: 0, stepsBackAt: T0 + 20 * MINUTE },
    ],
  },
  {
    backend: SQLITE,
    slots: [{ skewMs: 2 * SECOND }, { skewMs: -2 * SECOND, stepsBackAt: T0 + 20 * MINUTE }],
  },
  {
    backend: MYSQL,
    slots: [
      { skewMs: 2 * SECOND },
      { skewMs: -2 * SECOND },
      { skewMs: 0, stepsBackAt: T0 + 20 * MINUTE },
    ],
  },
];

function skewAt(slot: Slot, trueMs: number): number {
  return (
    slot.skewMs - (slot.stepsBackAt !== undefined && trueMs >= slot.stepsBackAt ? STEP_BACK_MS : 0)
  );
}

/** The processes of one run, one per slot, each replaced when killed. */
class Schedulers {
  private readonly spawn: () => ChildScript;
  readonly children: ChildScript[];
  private passes = 0;
  /** The slot whose pass last made a task: the one killed next. */
  active = 0;
  kills: { slot: number; answered: boolean }[] = [];

  constructor(spawn: () => ChildScript, count: number) {
    this.spawn = spawn;
    this.children = Array.from({ length: count }, spawn);
  }

  async ready(slot: number): Promise<void> {
    await (this.children[slot] as ChildScript).waitForLine(
      'ready',
      (l) => l.startsWith('ready '),
      20_000,
    );
  }

  /** One pass in every process at `clocks[slot]`; with `kill`, the active one is SIGKILLed
   * as soon as its pass has begun, then started again. */
  async step(clocks: number[], kill: boolean): Promise<void> {
    const victim = kill ? this.active : -1;
    const answers = this.children.map(async (child, slot) => {
      const n = ++this.passes;
      const begun =
        slot === victim ? child.nextLine(`begin ${n}`, (l) => l === `begin ${n}`) : null;
      const answered = child.nextLine(
        `answer ${n}`,
        (l) => l.startsWith(`passed ${n} `) || l.startsWith(`failed ${n} `),
      );
      child.writeLine(passLine(n, clocks[slot] as number));
      if (begun !== null) {
        await begun;
        child.signal('SIGKILL');
        answered.catch(() => undefined);
        await child.closed;
        // Whether the pass got to say it was done before the kill landed.
        this.kills.push({ slot, answered: child.lines.some((l) => l.startsWith(`passed ${n} `)) });
        return;
      }
      const line = await answered;
      if (line.startsWith('failed')) throw new Error(`slot ${slot}: ${line}`);
      const report = JSON.parse(line.slice(`passed ${n} `.length)) as { fired: number };
      if (report.fired > 0) this.active = slot;
    });
    await Promise.all(answers);
    if (victim >= 0) {
      this.children[victim] = this.spawn();
      await this.ready(victim);
    }
  }
}

describe.each(SETUPS)(
  '$slots.length scheduler processes on $backend.name',
  ({ backend, slots }) => {
    const harness = useFaultHarness({ backend });

    it('one hour of * * * * * and */5 * * * *, the active one SIGKILLed every 7 minutes: 60 and 12 tasks, one per tick', async () => {
      const started = Date.now();
      const place: FaultPlace = await harness.unopened();
      const time = new SimulatedTime(T0 - 30 * SECOND);
      // The test's own handle: adds the schedules, reads the tasks back; never schedules.
      const mill = await createTaskmill({
        database: place.url,
        dataDir: place.dataDir,
        tasks: TASKS,
        clock: time.clock(),
        scheduler: BY_HAND,
      });
      onTestFinished(() => mill.close());
      await mill.schedules.add({ name: 'minutely', cron: '* * * * *', task: 'tick' });
      await mill.schedules.add({ name: 'five', cron: '*/5 * * * *', task: 'tick' });

      const schedulers = new Schedulers(() => harness.scheduler(place), slots.length);
      await Promise.all(slots.map((_, slot) => schedulers.ready(slot)));
      let steps = 0;
      // The schedules were added 30 s before T0: the hour's ticks are T0 … T0 + 59 min.
      while (time.now < T0 + 59 * MINUTE + 30 * SECOND) {
        time.now += STEP_MS;
        const sinceT0 = time.now - T0;
        const kill = sinceT0 > 0 && sinceT0 % KILL_EVERY_MS === 0;
        await schedulers.step(
          slots.map((slot) => time.now + skewAt(slot, time.now)),
          kill,
        );
        steps++;
      }

      const tasks = await allTasks(mill);
      const of = (name: string) => tasks.filter((t) => t.schedule?.schedule === name);
      const ticks = (count: number, everyMs: number) =>
        Array.from({ length: count }, (_, i) => T0 + i * everyMs);
      expect([of('minutely').length, of('five').length, tasks.length]).toEqual([60, 12, 72]);
      expect(of('minutely').map((t) => t.runAt.getTime())).toEqual(ticks(60, MINUTE));
      expect(of('five').map((t) => t.runAt.getTime())).toEqual(ticks(12, 5 * MINUTE));
      for (const t of tasks) {
        expect(t.schedule?.scheduledAt.getTime(), `task ${t.id}`).toBe(t.runAt.getTime());
        expect(t.schedule, `task ${t.id}`).toMatchObject({ backfill: false, manual: false });
      }
      // One per (schedule, tick): the ticks above are all different, and there are no others.
      const keys = new Set(tasks.map((t) => `${t.schedule?.schedule}@${t.runAt.getTime()}`));
      expect(keys.size).toBe(72);
      for (const name of ['minutely', 'five']) {
        expect((await mill.schedules.get(name)).stats).toMatchObject({
          runs: name === 'minutely' ? 60 : 12,
          skipped: { overlap: 0, catch_up: 0 },
        });
      }
      expect(schedulers.kills).toHaveLength(8);
      console.info(
        `${backend.name}: ${slots.length} schedulers, ${steps} steps of ${STEP_MS / SECOND} s, ` +
          `${schedulers.kills.length} kills (slots ${schedulers.kills.map((k) => k.slot).join(',')}; ` +
          `${schedulers.kills.filter((k) => !k.answered).length} before the pass answered) ` +
          `in ${Date.now() - started} ms`,
      );
    }, 90_000);
  },
);
