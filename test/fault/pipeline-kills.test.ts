/**
 * A 5-stage pipeline with a 100-way fan-out and a fan-in, run by worker processes of which one
 * is SIGKILLed at 20 random moments (each replaced at once). Orchestration lives in the database
 * alone, so whatever the kills hit, each step and each item completes once in the store, every
 * completion is a handler run that ended in a live worker, the fan-in never starts before all of
 * its parents completed, and the run ends with what a crash-free run gives.
 *
 * The moments are chosen by a seeded PRNG (printed; set TASKMILL_PIPELINE_KILL_SEED to replay
 * it): a kill comes a random few ms after a random number of items completed (spread over the
 * fan-out) and mostly hits the worker whose handler just started or ended, sometimes any live
 * one (idle, or still starting up). The first comes as the seed step starts, so it lands in it or
 * in the fan-out after it; one aims at the fan-in: it hits the worker running `sum`, in the
 * middle of its work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTaskmill,
  type Execution,
  type PipelineRun,
  type Task,
  type WorkerOptions,
} from '../../src/index.ts';
import { type Backend, type FreshDatabase, forEachBackend } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import type { ChildPipelineWorkerConfig } from './child-pipeline-worker.ts';
import {
  expectedOutput,
  MAP_CONCURRENCY,
  type PipelineKillInput,
  pipelineKillPipeline,
  prng,
  type StepLedgerLine,
  SUM_MS,
} from './pipeline-kill-tasks.ts';
import { parseLife } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./child-pipeline-worker.ts', import.meta.url));
const KILLS = 20;
const ITEMS = 100;
/** Workers alive at once; each kill is replaced at once. */
const WORKERS = 2;
/** Handler starts and ends of a crash-free run: seed, items, sum, check, final. */
const HANDLER_EVENTS = 2 * (1 + ITEMS + 3);
/** The kills but the fan-in's are timed by the items completed so far, up to this many: the
 * fan-in cannot start before all ITEMS did, however often the kills make items run again. */
const KILL_ITEMS = 95;
/** Generous for a loaded 2-core machine; the run takes a few seconds when idle. */
const RUN_TIMEOUT_MS = 90_000;
/** Every step task and every item: seed, fan, sum, check, final. */
const STEP_TASKS = 5;

const workerOptions: WorkerOptions = {
  // Two workers have more slots than the map's bound allows items, so the bound is what holds.
  // A task caught in several kills in a row must still complete: crashLimit is out of reach.
  concurrency: 12,
  leaseMs: 1000,
  heartbeatMs: 200,
  sweepMs: 200,
  pollMs: 50,
  crashLimit: 1000,
  handleSignals: false,
};

interface Kill {
  pid: number;
  why: string;
  /** Handler events seen by then. */
  events: number;
  /** It had said `ready`; it was running a handler (started more than it ended). */
  ready: boolean;
  busy: boolean;
}

interface Outcome {
  run: PipelineRun;
  /** The run's tasks (its steps' and its items'), as the store has them at the end. */
  tasks: Task[];
  executions: Map<string, Execution[]>;
  ledger: StepLedgerLine[];
  kills: Kill[];
  children: ChildScript[];
  /** Worker id → the pid of its process. */
  pids: Map<string, number>;
}

function isHandlerLine(line: string): boolean {
  return line.startsWith('start ') || line.startsWith('end ');
}

function readLedger(path: string): StepLedgerLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as StepLedgerLine);
}

/** Wakes the storm at a child's next handler line, with that child (undefined if it died
 * first); one watch per child at a time. */
class LineWatch {
  private readonly pending = new Map<ChildScript, Promise<ChildScript | undefined>>();

  next(child: ChildScript): Promise<ChildScript | undefined> {
    let p = this.pending.get(child);
    if (p === undefined) {
      p = child.nextLine('a handler line', isHandlerLine, RUN_TIMEOUT_MS).then(
        () => {
          this.pending.delete(child);
          return child;
        },
        () => {
          this.pending.delete(child);
          return undefined;
        },
      );
      this.pending.set(child, p);
    }
    return p;
  }
}

async function stormOf(backend: Backend, seed: number, folder: FreshDatabase): Promise<Outcome> {
  const ledger = join(folder.folder, 'ledger.jsonl');
  const pipeline = pipelineKillPipeline({ ledger });
  const input: PipelineKillInput = { n: ITEMS, seed };
  const random = prng(seed);
  const children: ChildScript[] = [];
  const kills: Kill[] = [];
  const spawn = () => {
    const config: ChildPipelineWorkerConfig = {
      database: folder.url,
      dataDir: folder.dataDir,
      ledger,
      worker: workerOptions,
    };
    children.push(new ChildScript(CHILD, [JSON.stringify(config)]));
  };
  const events = () =>
    children.reduce((n, c) => n + c.lines.filter((l) => isHandlerLine(l)).length, 0);
  // All kills but the one aimed at the fan-in: at so many items completed, one at a random
  // count in each equal share of the fan-out, so they do not bunch up and outrun the kills;
  // the first as soon as the seed step started, so it lands in it or in the fan-out after it.
  const share = KILL_ITEMS / (KILLS - 2);
  const moments = [0];
  for (let i = 0; i < KILLS - 2; i++) moments.push(1 + Math.floor((i + random()) * share));
  const itemsDone = () =>
    new Set(children.flatMap((c) => c.lines.filter((l) => l.startsWith('end pk.square ')))).size;

  const mill = await createTaskmill({
    database: folder.url,
    dataDir: folder.dataDir,
    tasks: [],
    pipelines: [pipeline],
  });
  try {
    const started = await mill.pipelines.run(pipeline, input);
    for (let i = 0; i < WORKERS; i++) spawn();
    let ended = false;
    const ending = mill.pipelines.wait(started.id, { timeoutMs: RUN_TIMEOUT_MS }).finally(() => {
      ended = true;
    });
    const woken = ending.then(
      () => undefined,
      () => undefined,
    );
    const watch = new LineWatch();
    const kill = async (victim: ChildScript, delayMs: number, why: string) => {
      // The random part of the moment: a few ms after the event that chose it.
      await sleep(delayMs);
      const said = (prefix: string) => victim.lines.filter((l) => l.startsWith(prefix)).length;
      kills.push({
        pid: victim.pid,
        why,
        events: events(),
        ready: said('ready ') > 0,
        busy: said('start ') > said('end '),
      });
      victim.signal('SIGKILL');
      const exit = await victim.closed;
      if (exit.signal !== 'SIGKILL') {
        throw new Error(
          `pid ${victim.pid} ended on its own (${JSON.stringify(exit)}):\n${victim.stderr}`,
        );
      }
      spawn();
    };
    let timed = 0;
    let summed = false;
    let lastActive: ChildScript | undefined;
    while (kills.length < KILLS && !ended) {
      const died = children.find((c) => !c.alive && c.signalledAt === null);
      if (died !== undefined) {
        throw new Error(
          `pid ${died.pid} died unkilled (${JSON.stringify(died.exit)}):\n${died.stderr}`,
        );
      }
      const live = children.filter((c) => c.alive && c.signalledAt === null);
      const summing = summed
        ? undefined
        : live.find((c) => c.lines.some((l) => l.startsWith('start pk.sum ')));
      if (summing !== undefined) {
        summed = true;
        await kill(summing, Math.floor(random() * SUM_MS * 0.4), 'inside the fan-in');
        continue;
      }
      const moment = moments[timed];
      // Moments that came while a worker was being replaced wait for work to go on first, so
      // they do not pile up on replacements that are still starting.
      const moved = events() > (kills.at(-1)?.events ?? 0);
      if (moment !== undefined && itemsDone() >= moment && moved) {
        timed++;
        // Mostly the worker that just started or ended a handler (mid-work, mid-settle,
        // mid-claim), sometimes any, the one still starting up included.
        const busy = lastActive?.signalledAt === null && random() < 0.75;
        const victim = busy ? lastActive : live[Math.floor(random() * live.length)];
        await kill(victim as ChildScript, Math.floor(random() * 80), `at ${moment} items`);
        continue;
      }
      lastActive = (await Promise.race([woken, ...live.map((c) => watch.next(c))])) ?? lastActive;
    }
    const run = await ending;
    const all: Task[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: Task[]; nextCursor: string | null } = await mill.list({
        limit: 1000,
        sort: 'createdAt',
        order: 'asc',
        cursor,
      });
      all.push(...page.tasks);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const tasks = all.filter((t) => t.pipeline?.runId === run.id);
    const executions = new Map<string, Execution[]>();
    for (const t of tasks) executions.set(t.id, await mill.executions(t.id));
    await Promise.all(children.map((c) => c.destroy()));
    const pids = new Map<string, number>();
    for (const c of children) {
      const { workerId } = parseLife(c.lines);
      if (workerId !== null) pids.set(workerId, c.pid);
    }
    const count = (where: (k: Kill) => boolean) => kills.filter(where).length;
    console.info(
      `pipeline kills on ${backend.name}: seed ${seed}, ${kills.length} kills (${count((k) => !k.ready)} before ready, ${count((k) => k.busy)} inside a handler) at handler events ${kills.map((k) => k.events).join(' ')} of ${events()} (${HANDLER_EVENTS} without kills), ${children.length} workers, run ${run.status} in ${run.durationMs} ms`,
    );
    return { run, tasks, executions, ledger: readLedger(ledger), kills, children, pids };
  } finally {
    await Promise.all(children.map((c) => c.destroy()));
    await mill.close();
  }
}

forEachBackend((backend) => {
  const given = process.env['TASKMILL_PIPELINE_KILL_SEED'];
  const seed = given === undefined ? Math.floor(Math.random() * 1_000_000) : Number(given);
  const expected = expectedOutput({ n: ITEMS, seed });
  let folder: FreshDatabase;
  let o: Outcome;

  const stepOf = (t: Task) => t.pipeline?.step ?? '?';
  const itemsOf = () => o.tasks.filter((t) => t.pipeline !== null && t.pipeline.item !== null);
  const stepTask = (step: string) =>
    o.tasks.find((t) => t.pipeline?.step === step && t.pipeline.item === null) as Task;
  const finished = (t: Task) => t.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const outcomes = (t: Task) => (o.executions.get(t.id) ?? []).map((e) => e.outcome);

  describe(`a 5-stage pipeline, 100-way fan-out and fan-in, a worker killed ${KILLS} times`, () => {
    beforeAll(async () => {
      console.info(`pipeline kills on ${backend.name}: seed ${seed}`);
      folder = await backend.fresh('pipeline-kills');
      o = await stormOf(backend, seed, folder);
    }, RUN_TIMEOUT_MS + 30_000);

    afterAll(async () => {
      await folder?.remove();
    });

    it('killed a worker at every moment drawn, one of them inside the fan-in', () => {
      expect(o.kills.map((k) => k.why)).toHaveLength(KILLS);
      expect(o.kills.filter((k) => k.why === 'inside the fan-in')).toHaveLength(1);
      expect(
        o.children.filter((c) => c.stderr !== '').map((c) => `pid ${c.pid}: ${c.stderr}`),
      ).toEqual([]);
    });

    it('ended with the output of a crash-free run', () => {
      expect(o.run.status).toBe('completed');
      expect(o.run.output).toEqual(expected.output);
      expect(o.run.progress).toEqual({ done: STEP_TASKS, total: STEP_TASKS });
      expect(o.run.items).toEqual({ done: ITEMS, total: ITEMS });
      expect(o.run.steps.find((s) => s.name === 'fan')?.output).toEqual(expected.items);
      expect(o.run.steps.find((s) => s.name === 'sum')?.output).toEqual({
        sum: expected.sum,
        count: ITEMS,
      });
      const items = itemsOf().sort((a, b) => (a.pipeline?.item ?? 0) - (b.pipeline?.item ?? 0));
      expect(items.map((t) => t.output)).toEqual(expected.items);
    });

    it('completed every step and every item exactly once in the store', () => {
      expect(o.tasks).toHaveLength(STEP_TASKS + ITEMS);
      expect(o.tasks.filter((t) => t.status !== 'completed').map((t) => t.id)).toEqual([]);
      const wrong = o.tasks.flatMap((t) => {
        const ends = outcomes(t);
        const completed = ends.filter((e) => e === 'completed').length;
        const other = ends.filter((e) => e !== 'completed' && e !== 'crashed');
        return completed === 1 && other.length === 0
          ? []
          : [`${stepOf(t)}#${t.pipeline?.item ?? '-'} ${t.id}: ${ends.join(', ')}`];
      });
      expect(wrong, 'tasks without exactly one completed execution').toEqual([]);
      const crashed = o.tasks.reduce(
        (n, t) => n + outcomes(t).filter((e) => e === 'crashed').length,
        0,
      );
      console.info(`pipeline kills on ${backend.name}: ${crashed} crashed executions`);
      expect(crashed, 'executions the kills ended').toBeGreaterThan(0);
    });

    it('each completion is a handler run that ended in a live worker, and none ran after it', () => {
      const problems: string[] = [];
      for (const t of o.tasks) {
        const runs = o.ledger.filter((l) => l.taskId === t.id);
        // A map step runs no handler: it fans out and gathers its items' outputs.
        if (t.pipeline?.step === 'fan' && t.pipeline.item === null) {
          if (runs.length > 0) problems.push(`fan step ${t.id} ran a handler`);
          continue;
        }
        const done = (o.executions.get(t.id) ?? []).find((e) => e.outcome === 'completed');
        const pid = done === undefined ? undefined : o.pids.get(done.workerId);
        const end = runs.find(
          (l) => l.event === 'end' && l.pid === pid && l.attempt === done?.attempt,
        );
        // The completion the store accepted was stamped after that handler ended.
        if (done === undefined || end === undefined) {
          problems.push(`${stepOf(t)} ${t.id}: completion without its handler's end`);
        } else if ((done.finishedAt?.getTime() ?? 0) < end.at) {
          problems.push(`${stepOf(t)} ${t.id}: completed before pid ${pid}'s handler ended`);
        }
        const crashes = outcomes(t).filter((e) => e === 'crashed').length;
        const starts = runs.filter((l) => l.event === 'start');
        if (starts.length > crashes + 1) {
          problems.push(`${stepOf(t)} ${t.id}: ${starts.length} handler runs, ${crashes} crashes`);
        }
        for (const s of starts.filter((l) => l.at > finished(t))) {
          problems.push(`${stepOf(t)} ${t.id}: started by pid ${s.pid} after it completed`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('started no step before all of its parents completed, the fan-in included', () => {
      const steps = pipelineKillPipeline({ ledger: '' }).steps;
      const early: string[] = [];
      for (const t of o.tasks) {
        const link = t.pipeline;
        if (link === null) continue;
        // An item waits for its map step's parents; a step for its parents, and for a map
        // step's items too (the map step's own task completes only once it gathered them).
        const parentSteps = steps.get(link.step)?.dependsOn ?? [];
        const parents = parentSteps.map(stepTask);
        if (link.item === null && parentSteps.includes('fan')) parents.push(...itemsOf());
        const after = Math.max(0, ...parents.map(finished));
        for (const s of o.ledger.filter((l) => l.taskId === t.id && l.event === 'start')) {
          if (s.at < after) early.push(`${link.step} ${t.id} started ${after - s.at} ms early`);
        }
      }
      expect(early).toEqual([]);
      const sum = stepTask('sum');
      const starts = o.ledger.filter((l) => l.taskId === sum.id && l.event === 'start');
      const lastItem = Math.max(...itemsOf().map(finished));
      console.info(
        `pipeline kills on ${backend.name}: the fan-in started ${starts.length} times (${outcomes(sum).join(', ')}), the first ${Math.min(...starts.map((l) => l.at)) - lastItem} ms after the last item completed`,
      );
      // A kill hit it mid-work: it started again, and completed once.
      expect(starts.length).toBeGreaterThanOrEqual(2);
      expect(outcomes(sum)).toContain('crashed');
      expect(outcomes(sum).filter((e) => e === 'completed')).toHaveLength(1);
    });

    it('never ran more items at once than the map step allows, killed ones included', () => {
      // A killed item's handler counts until its process was killed; its task stays running
      // (holding its place under the bound) until its lease expired, longer still.
      const killedAt = new Map(o.children.map((c) => [c.pid, c.signalledAt]));
      const changes: [number, number][] = [];
      const starts = o.ledger.filter((l) => l.type === 'pk.square' && l.event === 'start');
      for (const s of starts) {
        const end = o.ledger.find(
          (l) =>
            l.taskId === s.taskId &&
            l.event === 'end' &&
            l.pid === s.pid &&
            l.attempt === s.attempt,
        );
        const until = end?.at ?? killedAt.get(s.pid) ?? Number.POSITIVE_INFINITY;
        changes.push([s.at, 1], [until, -1]);
      }
      // Ends before starts at the same ms: a slot freed and taken again in one ms is not two.
      changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let running = 0;
      let peak = 0;
      for (const [, delta] of changes) {
        running += delta;
        peak = Math.max(peak, running);
      }
      console.info(`pipeline kills on ${backend.name}: at most ${peak} items ran at once`);
      expect(peak).toBeLessThanOrEqual(MAP_CONCURRENCY);
      expect(peak).toBeGreaterThan(1);
    });

    it.runIf(backend.integrityProblems !== undefined)(
      'left a database that passes its own integrity check',
      () => {
        expect(backend.integrityProblems?.(folder.url)).toEqual([]);
      },
    );
  });
});
