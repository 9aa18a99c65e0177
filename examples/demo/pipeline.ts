/**
 * The demo pipeline `npm start` runs (`taskmill serve --demo`): a small ETL over generated sales
 * rows. `fetch` reads the rows, `transform` runs once per row (a map step, three rows at a time),
 * `aggregate` totals them per region, and `alert` runs only when a row is over the run's limit
 * (a `when` branch, `skipped` otherwise). Each task takes a few hundred milliseconds, long enough
 * to watch the graph move with `taskmill pipelines show <run> --watch`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { definePipeline, defineTask } from 'taskmill';
import { z } from 'zod';

const REGIONS = ['north', 'south', 'east', 'west'] as const;

const row = z.object({ id: z.number().int(), region: z.enum(REGIONS), cents: z.number().int() });
type Row = z.infer<typeof row>;
const clean = z.object({ id: z.number().int(), region: z.enum(REGIONS), euros: z.number() });

/** The same rows for the same seed: a run's output can be checked by hand. */
function generateRows(count: number, seed: number): Row[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: deterministic, no dependency.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    region: REGIONS[Math.floor(next() * REGIONS.length)] ?? 'north',
    cents: Math.round(500 + next() * 99_500),
  }));
}

export const etlFetch = defineTask({
  name: 'etl.fetch',
  description: 'Read the sales rows of a source (generated from its seed)',
  input: z.object({ rows: z.number().int().min(1).max(500), seed: z.number().int() }),
  async run({ rows, seed }, ctx) {
    ctx.log.info(`reading ${rows} rows (seed ${seed})`);
    await sleep(300, undefined, { signal: ctx.signal });
    return generateRows(rows, seed);
  },
});

export const etlTransform = defineTask({
  name: 'etl.transform',
  description: 'Clean one row: cents to euros, tax added',
  input: row,
  output: clean,
  async run(r, ctx) {
    await sleep(150, undefined, { signal: ctx.signal });
    return { id: r.id, region: r.region, euros: Math.round(r.cents * 1.2) / 100 };
  },
});

export const etlAggregate = defineTask({
  name: 'etl.aggregate',
  description: 'Total the cleaned rows per region',
  input: z.array(clean),
  async run(rows, ctx) {
    await sleep(200, undefined, { signal: ctx.signal });
    const totals: Record<string, number> = {};
    for (const r of rows)
      totals[r.region] = Math.round(((totals[r.region] ?? 0) + r.euros) * 100) / 100;
    return { rows: rows.length, totals };
  },
});

export const etlAlert = defineTask({
  name: 'etl.alert',
  description: 'Report the rows over the limit (runs only when there are some)',
  input: z.object({ limitCents: z.number().int(), rows: z.array(row) }),
  run({ limitCents, rows }, ctx) {
    const over = rows.filter((r) => r.cents > limitCents);
    for (const r of over)
      ctx.log.warn(`row ${r.id} (${r.region}): ${r.cents / 100} over the limit`);
    return { over: over.map((r) => r.id) };
  },
});

const fetched = (outputs: Readonly<Record<string, unknown>>) => outputs['fetch'] as Row[];

export const salesEtl = definePipeline({
  name: 'demo.sales-etl',
  description:
    'fetch → transform each row (3 at a time) → aggregate, and alert when a row is over the limit',
  input: z.object({
    rows: z.number().int().min(1).max(500).default(12),
    seed: z.number().int().default(7),
    /** A row over this many cents triggers `alert`. */
    limitCents: z.number().int().min(0).default(80_000),
  }),
  steps: {
    fetch: { task: etlFetch, input: (ctx) => ({ rows: ctx.input.rows, seed: ctx.input.seed }) },
    transform: {
      task: etlTransform,
      dependsOn: ['fetch'],
      map: { over: (ctx) => fetched(ctx.outputs), concurrency: 3 },
      input: (ctx) => ctx.item,
    },
    aggregate: {
      task: etlAggregate,
      dependsOn: ['transform'],
      input: (ctx) => ctx.outputs['transform'],
    },
    alert: {
      task: etlAlert,
      dependsOn: ['fetch'],
      when: (ctx) => fetched(ctx.outputs).some((r) => r.cents > ctx.input.limitCents),
      input: (ctx) => ({ limitCents: ctx.input.limitCents, rows: fetched(ctx.outputs) }),
    },
  },
});

export interface DemoPipelineRun {
  pipeline: string;
  input: unknown;
  /** Printed by `serve --demo` next to the run id. */
  note?: string;
}

/** What `taskmill serve --demo` starts after the demo tasks. */
export const demoPipelineRuns: DemoPipelineRun[] = [
  {
    pipeline: 'demo.sales-etl',
    input: { rows: 12, seed: 7, limitCents: 80_000 },
    note: 'fetch → 12 rows, 3 at a time → aggregate; alert runs (2 rows over 800.00)',
  },
  {
    pipeline: 'demo.sales-etl',
    input: { rows: 6, seed: 11, limitCents: 10_000_000 },
    note: 'the same over 6 rows; nothing over the limit, so alert is skipped',
  },
];
