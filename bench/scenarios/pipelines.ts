/**
 * Pipelines against plain tasks, in a process of its own, on one store:
 *
 *   pipelines <sqlite|postgres|mysql> <chain steps> <map items> <plain tasks> <concurrency>
 *
 * Four measurements on one fresh database, one after another, with one worker of the given
 * concurrency, each against its plain-task counterpart of the same shape:
 * - `plain chain`: that many tasks, each submitted with `dependsOn` the one before (all stored
 *   before the worker starts), and `pipeline chain`: a pipeline of that many steps, each
 *   depending on the one before. A chain runs one task at a time, so its rate is one over the
 *   time from a task's completion to its child's start: reported as percentiles, from the
 *   parent's handler returning to the child's handler starting (both in this process).
 * - `plain tasks`: that many independent tasks (submitted in batches while the worker runs), and
 *   `map`: a pipeline whose one map step runs a task per item.
 * Each reports tasks (steps, items) per second from the start to the last completion, and this
 * process's CPU per task. The tasks do nothing but note when their handler started and ended.
 * On PostgreSQL every measurement starts on analysed tables, as every processing run of the
 * bench does after its fill (pg-schema.ts): without it the planner keeps the statistics of the
 * empty tables and each measurement pays for the rows the ones before it left. On MariaDB the
 * same (`ANALYZE TABLE`, mysql-database.ts), in a fresh database, with the worker's poll the
 * side-by-side rows use.
 *
 * Prints each measurement on stderr as a JSON line, and the figures together as one JSON line,
 * last on stdout.
 */
import { z } from 'zod';
import { createTaskmill, definePipeline, defineTask, type StepOptions } from '../../src/index.ts';
import { freshDatabase, percentile, report } from './common.ts';
import {
  analyzeDatabase,
  createDatabase,
  dropDatabase,
  MYSQL_POLL_MS,
  mysqlUrl,
} from './mysql-database.ts';
import { analyzeSchema, dropSchema, pgUrl } from './pg-schema.ts';

const [
  storeArg = 'sqlite',
  chainArg = '1000',
  mapArg = '10000',
  plainArg = '10000',
  concArg = '32',
] = process.argv.slice(2);
const chainSteps = Number(chainArg);
const mapItems = Number(mapArg);
const plainTasks = Number(plainArg);
const concurrency = Number(concArg);

async function database(): Promise<{
  url: string;
  analyze(): Promise<void>;
  remove(): Promise<void>;
}> {
  if (storeArg === 'sqlite') {
    const db = freshDatabase();
    return { url: db.url, analyze: async () => {}, remove: async () => db.remove() };
  }
  if (storeArg === 'mysql') {
    const name = `bench_pipelines_${process.pid}`;
    await dropDatabase(name);
    await createDatabase(name);
    return {
      url: mysqlUrl(name),
      analyze: async () => void (await analyzeDatabase(name)),
      remove: () => dropDatabase(name),
    };
  }
  const schema = `bench_pipelines_${process.pid}`;
  await dropSchema(schema);
  const url = `${pgUrl()}${pgUrl().includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    url,
    // As every PostgreSQL processing run of the bench does after its fill (pg-schema.ts).
    analyze: async () => void (await analyzeSchema(schema)),
    remove: () => dropSchema(schema),
  };
}

/** When each task's handler started and ended, by its input's `i`. */
const startedAt = new Map<number, number>();
const endedAt = new Map<number, number>();
const noop = defineTask({
  name: 'bench.step',
  input: z.object({ i: z.number() }),
  run: ({ i }) => {
    startedAt.set(i, performance.now());
    endedAt.set(i, performance.now());
    return null;
  },
});

/** Parent completion → child start over a chain of `n` tasks numbered 0..n-1. */
function chainGaps(n: number): Record<string, number> {
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) {
    const parent = endedAt.get(i - 1);
    const child = startedAt.get(i);
    if (parent !== undefined && child !== undefined) gaps.push(child - parent);
  }
  gaps.sort((a, b) => a - b);
  const ms = (v: number) => Number(v.toFixed(2));
  return {
    parentToChildP50Ms: ms(percentile(gaps, 50)),
    parentToChildP95Ms: ms(percentile(gaps, 95)),
    parentToChildP99Ms: ms(percentile(gaps, 99)),
  };
}

const chainDef: Record<string, StepOptions> = {};
for (let i = 0; i < chainSteps; i++) {
  chainDef[`s${i}`] = {
    task: noop,
    input: () => ({ i }),
    ...(i === 0 ? {} : { dependsOn: [`s${i - 1}`] }),
  };
}
const chain = definePipeline({ name: 'bench-chain', input: z.object({}), steps: chainDef });
const map = definePipeline({
  name: 'bench-map',
  input: z.object({}),
  steps: {
    items: {
      task: noop,
      map: { over: () => Array.from({ length: mapItems }, (_, i) => i) },
      input: (ctx) => ({ i: ctx.index + chainSteps }),
    },
  },
});

const db = await database();
const mill = await createTaskmill({
  database: db.url,
  tasks: [noop],
  pipelines: [chain, map],
  scheduler: { enabled: false },
});

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** Resolves after `n` completions of tasks of `type` reported on the bus. */
function completions(n: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = mill.on('task.status', (e) => {
      if (e.to === 'completed' && ++seen === n) {
        off();
        resolve();
      }
    });
  });
}

const rows: Record<string, number | string>[] = [];

// A chain of plain tasks, each depending on the one before, stored before the worker starts.
let worker: Awaited<ReturnType<typeof mill.startWorker>> | undefined;
let previous: string | undefined;
for (let i = 0; i < chainSteps; i++) {
  const task = await mill.submit('bench.step', { i }, previous ? { dependsOn: [previous] } : {});
  previous = task.id;
}
await db.analyze();
{
  const done = completions(chainSteps);
  const cpu = process.cpuUsage();
  const started = performance.now();
  worker = await mill.startWorker({
    concurrency,
    handleSignals: false,
    ...(storeArg === 'mysql' ? { pollMs: MYSQL_POLL_MS } : {}),
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    scenario: `plain chain of ${chainSteps} tasks (dependsOn), ${storeArg}`,
    tasks: chainSteps,
    tasksPerSecond: Math.round(chainSteps / seconds),
    cpuMsPerTask: Number(((cpuSeconds(cpu) * 1000) / chainSteps).toFixed(3)),
    ...chainGaps(chainSteps),
  });
}
startedAt.clear();
endedAt.clear();

// Plain tasks: submitted while the worker runs, as a user would.
await db.analyze();
{
  const done = completions(plainTasks);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const items = Array.from({ length: plainTasks }, (_, i) => ({
    type: 'bench.step',
    input: { i },
  }));
  for (let at = 0; at < items.length; at += 5000) {
    await mill.submitMany(items.slice(at, at + 5000) as Parameters<typeof mill.submitMany>[0]);
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    scenario: `plain tasks, ${storeArg}`,
    tasks: plainTasks,
    tasksPerSecond: Math.round(plainTasks / seconds),
    cpuMsPerTask: Number(((cpuSeconds(cpu) * 1000) / plainTasks).toFixed(3)),
  });
}

// A chain of no-op steps, after the tables' statistics caught up with the tasks above.
await db.analyze();
{
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await mill.pipelines.run(chain, {});
  const done = await mill.pipelines.wait(run.id, { timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 'completed') throw new Error(`the chain ended ${done.status}`);
  rows.push({
    scenario: `pipeline chain of ${chainSteps} steps, ${storeArg}`,
    tasks: chainSteps,
    tasksPerSecond: Math.round(chainSteps / seconds),
    cpuMsPerTask: Number(((cpuSeconds(cpu) * 1000) / chainSteps).toFixed(3)),
    ...chainGaps(chainSteps),
  });
}

// A map step over many items.
await db.analyze();
{
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await mill.pipelines.run(map, {});
  const done = await mill.pipelines.wait(run.id, { timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 'completed') throw new Error(`the map ended ${done.status}`);
  rows.push({
    scenario: `pipeline map of ${mapItems} items, ${storeArg}`,
    tasks: mapItems,
    tasksPerSecond: Math.round(mapItems / seconds),
    cpuMsPerTask: Number(((cpuSeconds(cpu) * 1000) / mapItems).toFixed(3)),
  });
}

await worker?.stop();
await mill.close();
await db.remove();
for (const row of rows) process.stderr.write(`${JSON.stringify(row)}\n`);
const [plainChain, plain, chainRow, mapRow] = rows as Record<string, number | string>[];
const rate = (row: Record<string, number | string> | undefined) => Number(row?.['tasksPerSecond']);
report({
  scenario: `pipelines, ${storeArg}`,
  chainSteps,
  mapItems,
  plainChainPerSecond: rate(plainChain),
  pipelineChainPerSecond: rate(chainRow),
  chainVsPlainChain: Number((rate(chainRow) / rate(plainChain)).toFixed(2)),
  plainChainP50Ms: Number(plainChain?.['parentToChildP50Ms']),
  pipelineChainP50Ms: Number(chainRow?.['parentToChildP50Ms']),
  pipelineChainP95Ms: Number(chainRow?.['parentToChildP95Ms']),
  pipelineChainP99Ms: Number(chainRow?.['parentToChildP99Ms']),
  plainTasksPerSecond: rate(plain),
  mapItemsPerSecond: rate(mapRow),
  mapVsPlainTasks: Number((rate(mapRow) / rate(plain)).toFixed(2)),
  plainCpuMsPerTask: Number(plain?.['cpuMsPerTask']),
  mapCpuMsPerTask: Number(mapRow?.['cpuMsPerTask']),
  pipelineChainCpuMsPerStep: Number(chainRow?.['cpuMsPerTask']),
});
