/**
 * Does the submit path keep anything per submit? Single `mill.submit` calls, as the soak's
 * submitter makes them (at most 200 in flight), on a mill without workers unless `worker=1`,
 * printing the memory after a forced GC every `every` submits, and optionally writing heap
 * snapshots at given counts (compare them with bench/heap-diff.ts).
 *
 *   npx node --expose-gc bench/scenarios/submit-memory.ts db=sqlite n=300000 every=25000 \
 *     rate=0 worker=0 snap=100000,300000 out=/tmp/name
 *
 * `db=pg` uses TASKMILL_BENCH_DATABASE_URL (or the local server) in a fresh schema; `rate=0` is
 * full speed, otherwise submits a second. Not part of `npm run bench`: a tool for issue 14.
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createTaskmill } from '../../src/index.ts';
import { freshDatabase, wallMs } from './common.ts';
import { dropSchema, pgUrl } from './pg-schema.ts';
import { SOAK_TYPE, soakTask, tally } from './soak-task.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const total = Number(args['n'] ?? 200_000);
const every = Number(args['every'] ?? 25_000);
const rate = Number(args['rate'] ?? 0);
const withWorker = args['worker'] === '1';
const snaps = new Set((args['snap'] ?? '').split(',').filter(Boolean).map(Number));
const out = args['out'] ?? `/tmp/submit-memory-${process.pid}`;
const MAX_IN_FLIGHT = 200;
/** `gc=0` samples as the soak does, without forcing a collection first. */
const forceGc = args['gc'] !== '0';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const schema = `submit_memory_${process.pid}`;
// `url=` submits into a database that a soak worker (bench/scenarios/soak-worker.ts) also serves.
const given = args['url'];
const sqlite = given || args['db'] === 'pg' ? null : freshDatabase();
const url = given ?? sqlite?.url ?? `${pgUrl()}?schema=${schema}`;
const mill = await createTaskmill({ database: url, tasks: [soakTask] });
if (withWorker) await mill.startWorker({ concurrency: 20 });

const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
function sample(done: number, start: number): void {
  // The soak task's own counts (worker=1), which the soak worker empties at each of its samples.
  tally.starts = [];
  if (forceGc) {
    gc?.();
    gc?.();
  }
  const m = process.memoryUsage();
  const line = {
    done,
    s: Math.round((wallMs() - start) / 100) / 10,
    heapUsed: mb(m.heapUsed),
    heapTotal: mb(m.heapTotal),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    rss: mb(m.rss),
    // Which of V8's spaces holds the heap's size: the young generation grows under load.
    spaces: Object.fromEntries(
      getHeapSpaceStatistics().map((x) => [x.space_name.replace('_space', ''), mb(x.space_size)]),
    ),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

let inFlight = 0;
let errors = 0;
async function submitOne(i: number): Promise<void> {
  inFlight++;
  try {
    await mill.submit(SOAK_TYPE, { i, t: wallMs(), mode: 'ok' });
  } catch {
    errors++;
  } finally {
    inFlight--;
  }
}

const start = wallMs();
sample(0, start);
let next = 0;
let nextSample = every;
while (next < total) {
  const due = rate > 0 ? Math.floor(((wallMs() - start) * rate) / 1000) : next + MAX_IN_FLIGHT;
  while (next < Math.min(due, total) && inFlight < MAX_IN_FLIGHT) void submitOne(next++);
  await new Promise((r) => setTimeout(r, rate > 0 ? 5 : 0));
  if (next >= nextSample) {
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 1));
    sample(next, start);
    if (snaps.has(nextSample)) {
      process.stdout.write(`snapshot ${writeHeapSnapshot(`${out}-${nextSample}.heapsnapshot`)}\n`);
    }
    nextSample += every;
  }
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 1));
if (errors > 0) process.stderr.write(`${errors} submits failed\n`);
await mill.close();
sqlite?.remove();
if (!sqlite && !given) await dropSchema(schema);
