/**
 * The pipeline of the pipeline kill test (pipeline-kills.test.ts) and its task types, built alike
 * by the test process (which starts the run) and by every worker process (which runs its steps):
 * `seed` → `fan` (a map over seed's list) → `sum` (the fan-in, also reading `seed`) → `check` →
 * `final`. Every handler appends its start and end to a ledger shared by all processes, and says
 * them on stdout so the test can time its kills by them. The work is seeded: the same input gives
 * the same output however often an attempt dies, which `expectedOutput` computes without a run.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { definePipeline, defineTask, type TaskContext } from '../../src/index.ts';

export type StepEvent = 'start' | 'end';

/** One handler event, from any process. Times are this machine's wall clock (ms). */
export interface StepLedgerLine {
  taskId: string;
  attempt: number;
  type: string;
  /** The map item's index, null for a step's own task. */
  item: number | null;
  pid: number;
  event: StepEvent;
  at: number;
}

export interface PipelineKillOptions {
  /** The file every handler of every process appends to. */
  ledger: string;
  /** Also print `<event> <type> <taskId>` on stdout (the worker processes do). */
  announce?: boolean;
}

export interface PipelineKillInput {
  n: number;
  seed: number;
}

/** The fan step's bound on items running at once. */
export const MAP_CONCURRENCY = 20;
/** How long the fan-in works: long enough for a kill to land inside it. */
export const SUM_MS = 500;
/** An item's work lasts from ITEM_MIN_MS to ITEM_MAX_MS (seeded per item): long enough that the
 * test's kills, timed by items completed, keep pace with the fan-out. */
const ITEM_MIN_MS = 200;
const ITEM_MAX_MS = 600;

/** mulberry32: a small seeded PRNG, so a failing run can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function seedList({ n, seed }: PipelineKillInput): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => Math.floor(next() * 1000));
}

function itemValue(value: number, index: number): number {
  return value * value + index;
}

function itemMs(seed: number, index: number): number {
  return ITEM_MIN_MS + Math.floor(prng(seed * 1009 + index)() * (ITEM_MAX_MS - ITEM_MIN_MS));
}

function finalOf(seed: number, sum: number, count: number): { digest: string } {
  return { digest: `seed ${seed}: ${count} items, sum ${sum}` };
}

/** What a crash-free run of `input` ends with: the leaf step's output by name. */
export function expectedOutput(input: PipelineKillInput): {
  items: number[];
  sum: number;
  output: Record<string, unknown>;
} {
  const items = seedList(input).map(itemValue);
  const sum = items.reduce((a, b) => a + b, 0);
  return { items, sum, output: { final: finalOf(input.seed, sum, input.n) } };
}

export function pipelineKillPipeline(options: PipelineKillOptions) {
  const record = (ctx: TaskContext, event: StepEvent, item: number | null): void => {
    const line: StepLedgerLine = {
      taskId: ctx.task.id,
      attempt: ctx.attempt,
      type: ctx.task.type,
      item,
      pid: process.pid,
      event,
      at: Date.now(),
    };
    // One short O_APPEND write is atomic across processes, so the ledger needs no lock; the
    // stdout line goes second, so a kill timed by it finds the ledger line already written.
    appendFileSync(options.ledger, `${JSON.stringify(line)}\n`);
    if (options.announce) process.stdout.write(`${event} ${ctx.task.type} ${ctx.task.id}\n`);
  };

  const seed = defineTask({
    name: 'pk.seed',
    input: z.object({ n: z.number().int().min(0), seed: z.number().int() }),
    run: async (input, ctx) => {
      record(ctx, 'start', null);
      const list = seedList(input);
      record(ctx, 'end', null);
      return list;
    },
  });
  const square = defineTask({
    name: 'pk.square',
    input: z.object({ value: z.number().int(), index: z.number().int(), seed: z.number().int() }),
    run: async ({ value, index, seed: s }, ctx) => {
      record(ctx, 'start', index);
      await sleep(itemMs(s, index), undefined, { signal: ctx.signal });
      record(ctx, 'end', index);
      return itemValue(value, index);
    },
  });
  const sum = defineTask({
    name: 'pk.sum',
    input: z.object({ values: z.array(z.number()), n: z.number().int() }),
    run: async ({ values }, ctx) => {
      record(ctx, 'start', null);
      await sleep(SUM_MS, undefined, { signal: ctx.signal });
      record(ctx, 'end', null);
      return { sum: values.reduce((a, b) => a + b, 0), count: values.length };
    },
  });
  const check = defineTask({
    name: 'pk.check',
    input: z.object({ sum: z.number(), count: z.number().int(), n: z.number().int() }),
    run: async ({ sum: total, count, n }, ctx) => {
      record(ctx, 'start', null);
      record(ctx, 'end', null);
      return { sum: total, count, complete: count === n };
    },
  });
  const final = defineTask({
    name: 'pk.final',
    input: z.object({ seed: z.number().int(), sum: z.number(), count: z.number().int() }),
    run: async (input, ctx) => {
      record(ctx, 'start', null);
      record(ctx, 'end', null);
      return finalOf(input.seed, input.sum, input.count);
    },
  });

  return definePipeline({
    name: 'pipeline-kills',
    input: z.object({ n: z.number().int().min(0), seed: z.number().int() }),
    steps: {
      seed: { task: seed },
      fan: {
        task: square,
        dependsOn: ['seed'],
        map: { over: (c) => c.outputs['seed'] as number[], concurrency: MAP_CONCURRENCY },
        input: (c) => ({ value: c.item as number, index: c.index, seed: c.input.seed }),
      },
      sum: {
        task: sum,
        dependsOn: ['seed', 'fan'],
        input: (c) => ({
          values: c.outputs['fan'] as number[],
          n: (c.outputs['seed'] as number[]).length,
        }),
      },
      check: {
        task: check,
        dependsOn: ['sum'],
        input: (c) => ({ ...(c.outputs['sum'] as { sum: number; count: number }), n: c.input.n }),
      },
      final: {
        task: final,
        dependsOn: ['check'],
        input: (c) => {
          const checked = c.outputs['check'] as { sum: number; count: number; complete: boolean };
          if (!checked.complete) throw new Error(`check saw ${checked.count} of ${c.input.n}`);
          return { seed: c.input.seed, sum: checked.sum, count: checked.count };
        },
      },
    },
  });
}
