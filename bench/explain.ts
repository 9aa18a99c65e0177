/**
 * `npx node bench/explain.ts [queued] [rounds]`: where a PostgreSQL worker's time goes in the
 * database. Queues `queued` no-op tasks (100,000) in a fresh schema, then drives the adapter's
 * own statements as a worker at concurrency 32 does — claim 32, then settle those 32 and claim
 * 32 more in one transaction — and prints `EXPLAIN (ANALYZE, BUFFERS)` of the claim and of
 * settle-and-claim, and the client-side time of each statement over `rounds` rounds (200).
 * The tables are analyzed first unless the third argument is `fresh`.
 * Uses TASKMILL_BENCH_DATABASE_URL (default: the local server) and drops its schema after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { z } from 'zod';
import { uuidv7 } from '../src/core/ids.ts';
import { createTaskmill, defineTask } from '../src/index.ts';

const queued = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 200);
// `fresh`: no ANALYZE after queueing, as a worker meets the table before autovacuum has run.
const analyze = process.argv[4] !== 'fresh';
const base =
  process.env['TASKMILL_BENCH_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_explain_${process.pid}`;
const url = new URL(base);
url.searchParams.set('schema', schema);
const sqlDir = fileURLToPath(new URL('../src/store/postgres/sql/', import.meta.url));
const statement = (name: string) => readFileSync(join(sqlDir, `${name}.sql`), 'utf8');

const noop = defineTask({
  name: 'bench.noop',
  input: z.object({ i: z.number() }),
  run: () => null,
});
const mill = await createTaskmill({ database: url.toString(), tasks: [noop] });
for (let i = 0; i < queued; i += 50_000) {
  const n = Math.min(50_000, queued - i);
  await mill.submitMany(
    Array.from({ length: n }, (_, j) => ({ type: 'bench.noop' as const, input: { i: i + j } })),
  );
}
await mill.close();

// EXPLAIN_PG_OPTIONS (e.g. "-c enable_bitmapscan=off -c enable_seqscan=off") tries what a plan
// would cost if the planner chose otherwise.
const extra = process.env['EXPLAIN_PG_OPTIONS'] ?? '';
const client = new pg.Client({
  connectionString: base,
  options: `-c search_path=${schema} ${extra}`.trim(),
});
await client.connect();
if (analyze) await client.query('ANALYZE');

const CLAIM = statement('claim-tasks');
const LOCK = statement('queue-lock-limited');
const SETTLE = statement('settle-update');
const WORKER = 'bench-explain';
const BATCH = 32;

interface Claimed {
  id: string;
  lease_token: string;
}

const claimParams = (now: number) => [
  now,
  WORKER,
  BATCH,
  ['bench.noop'],
  null,
  now + 30_000,
  Array.from({ length: BATCH }, () => uuidv7(now)),
  [],
];
const settleParams = (now: number, claimed: Claimed[]) => [
  now,
  WORKER,
  JSON.stringify(
    claimed.map((c) => ({
      id: c.id,
      token: c.lease_token,
      to: 'completed',
      outcome: 'completed',
      reason: 'completed',
      output: null,
      executionError: null,
      metrics: null,
      runAt: null,
      refundAttempt: false,
      crashed: false,
      onlyIfExpired: false,
      terminal: true,
    })),
  ),
];

async function explain(text: string, params: unknown[]): Promise<string> {
  const r = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
    params,
  );
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}

// Client-side milliseconds per statement, as the worker sees them (round trip included).
const spent: Record<string, number> = {
  BEGIN: 0,
  'queue-lock-limited': 0,
  'settle-update': 0,
  'claim-tasks': 0,
  COMMIT: 0,
};
async function timed<T extends pg.QueryResultRow>(name: string, text: string, params?: unknown[]) {
  const t = performance.now();
  const r = await client.query<T>({ name: params ? name : undefined, text, values: params });
  spent[name] = (spent[name] ?? 0) + performance.now() - t;
  return r.rows;
}

let claimed = await timed<Claimed>('claim-tasks', CLAIM, claimParams(Date.now()));
for (const k of Object.keys(spent)) spent[k] = 0;
const started = performance.now();
for (let r = 0; r < rounds; r++) {
  const now = Date.now();
  await timed('BEGIN', 'BEGIN');
  await timed('settle-update', SETTLE, settleParams(now, claimed));
  await timed('queue-lock-limited', LOCK, [null]);
  claimed = await timed<Claimed>('claim-tasks', CLAIM, claimParams(now));
  await timed('COMMIT', 'COMMIT');
}
const total = performance.now() - started;

// The plans, on a warm cache after those rounds.
const now = Date.now();
await client.query('BEGIN');
const settlePlan = await explain(SETTLE, settleParams(now, claimed));
const claimPlan = await explain(CLAIM, claimParams(now));
await client.query('ROLLBACK');
await client.query('BEGIN');
const claimAlonePlan = await explain(CLAIM, claimParams(Date.now()));
await client.query('ROLLBACK');

console.log(
  `# ${queued} queued${analyze ? ', analyzed' : ', not analyzed'}, ${rounds} rounds of settle ${BATCH} + claim ${BATCH}${extra ? `, ${extra}` : ''}`,
);
console.log(
  `${((rounds * BATCH) / (total / 1000)).toFixed(0)} tasks/s through the statements alone; ms per round:`,
);
for (const [k, v] of Object.entries(spent)) {
  console.log(
    `  ${k.padEnd(20)} ${(v / rounds).toFixed(3)} ms  ${((100 * v) / total).toFixed(0)}%`,
  );
}
console.log('\n## claim-tasks (32), alone\n');
console.log(claimAlonePlan);
console.log('\n## settle-update (32), then claim-tasks (32), one transaction\n');
console.log(settlePlan);
console.log('');
console.log(claimPlan);

await client.query(`DROP SCHEMA "${schema}" CASCADE`);
await client.end();
