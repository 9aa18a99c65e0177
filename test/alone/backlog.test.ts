/**
 * A backlog of 1,000,000 queued tasks across 50 queues: the claim statement walks the partial
 * index of ready tasks, and a claim of 32 stays fast. The one timed assertion the issue asks for;
 * its figures go into the failure message.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/core/ids.ts';
import { ADAPTER_DIR } from '../../src/store/postgres/connection.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.ts';
import { loadSql } from '../../src/store/sql-files.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';

const TASKS = 1_000_000;
const QUEUES = 50;
const CLAIMS = 200;
const BATCH = 32;
const P99_LIMIT_MS = 20;
/** Claims before the measure: each pool connection prepares (parses and plans) the claim once. */
const WARMUP = 4;
const TYPE = 'backlog.noop';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function findIndexScan(node: PlanNode, index: string): PlanNode | undefined {
  if (node['Index Name'] === index) return node;
  for (const child of node.Plans ?? []) {
    const found = findIndexScan(child, index);
    if (found) return found;
  }
  return undefined;
}

function nodeTypes(node: PlanNode): string[] {
  const own = `${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : ''}`;
  return [own, ...(node.Plans ?? []).flatMap(nodeTypes)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

describe('a backlog of 1,000,000 queued tasks', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('claims through the partial ready index, p99 under 20 ms for 32 at a time', async () => {
    const fresh = await freshSchema('backlog');
    cleanups.push(fresh.drop);
    // A pool of 4 sets 2 connections aside for the worker's single settle-and-claim statement.
    const store: PostgresStore = await openPostgresStore({ url: fresh.url, poolSize: 4 });
    cleanups.push(() => store.close());
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());
    const tasks = `${admin.escapeIdentifier(fresh.schema)}.tasks`;

    // One statement on the server: a million rows through the store's API would be a minute of
    // JSON and round trips, which is not what this test measures. Spread over every priority and
    // queue, all due, oldest first, ids in run order as the store's UUIDv7 ids would be.
    const now = Date.now();
    const insertStarted = performance.now();
    await admin.query(
      `INSERT INTO ${tasks} (id, type, queue, priority, status, input, max_attempts,
         run_at, created_at, updated_at)
       SELECT lpad(g::text, 12, '0'), $1, 'q' || (g % $2), g % 4, 'queued', '{}'::jsonb, 3,
         $3::bigint - $4::bigint + g, $3::bigint - $4::bigint + g, $3::bigint - $4::bigint + g
       FROM generate_series(1, $4::int) AS g`,
      [TYPE, QUEUES, now, TASKS],
    );
    const insertMs = performance.now() - insertStarted;
    const analyzeStarted = performance.now();
    // VACUUM as well: otherwise autovacuum, triggered by the million inserts, would scan the
    // table in the middle of the measurement, and a backlog that old would have been vacuumed.
    await admin.query(`VACUUM (ANALYZE) ${tasks}`);
    const analyzeMs = performance.now() - analyzeStarted;

    // The adapter's own statements, as a worker serving every queue would send them: the single
    // settle-and-claim, and the claim that also serves limited queues. The statements name no
    // schema, as the adapter's connections set search_path.
    await admin.query(`SET search_path = ${admin.escapeIdentifier(fresh.schema)}`);
    const ids = () => Array.from({ length: BATCH }, () => uuidv7());
    const plans: Record<string, PlanNode | undefined> = {};
    for (const [name, params] of [
      [
        'settle-claim',
        [now, uuidv7(), '[]', false, BATCH, [TYPE], null, now + 30_000, ids(), ids(), BATCH],
      ],
      ['claim-tasks', [now, uuidv7(), BATCH, [TYPE], null, now + 30_000, ids(), [], BATCH]],
    ] as const) {
      const explained = await admin.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${loadSql(ADAPTER_DIR, name)}`,
        [...params],
      );
      plans[name] = explained.rows[0]?.['QUERY PLAN'][0]?.Plan;
    }
    await admin.query('RESET search_path');
    for (const [name, root] of Object.entries(plans)) {
      expect(root, `EXPLAIN of ${name} returned a plan`).toBeDefined();
      if (!root) return;
      expect(
        findIndexScan(root, 'tasks_ready'),
        `no node of ${name} scans tasks_ready; the plan: ${nodeTypes(root).join(' > ')}`,
      ).toBeDefined();
    }
    const root = plans['settle-claim'] as PlanNode;

    const workerId = uuidv7();
    const claimMs: number[] = [];
    let claimedTotal = 0;
    let measured = performance.now();
    for (let i = -WARMUP; i < CLAIMS; i++) {
      if (i === 0) measured = performance.now();
      const started = performance.now();
      const claimed = await store.taskClaim({
        now: Date.now(),
        workerId,
        limit: BATCH,
        types: [TYPE],
        queues: null,
        leaseMs: 30_000,
      });
      if (i >= 0) {
        claimMs.push(performance.now() - started);
        claimedTotal += claimed.length;
      }
      await store.taskSettle({
        now: Date.now(),
        workerId,
        items: claimed.map((c) => ({
          id: c.task.id,
          token: c.leaseToken,
          to: 'completed' as const,
          outcome: 'completed' as const,
          reason: null,
          output: null,
        })),
      });
    }
    const loopMs = performance.now() - measured;
    const sorted = [...claimMs].sort((a, b) => a - b);
    const fig = (ms: number) => ms.toFixed(2);
    const slowest = claimMs
      .map((ms, i) => ({ ms, i }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 4)
      .map((s) => `#${s.i} ${fig(s.ms)} ms`)
      .join(', ');
    const figures =
      `${TASKS} tasks inserted in ${Math.round(insertMs)} ms, VACUUM (ANALYZE) ${Math.round(analyzeMs)} ms; ` +
      `${CLAIMS} claims of ${BATCH} (each settled after; ${WARMUP} before, not counted) in ${Math.round(loopMs)} ms: ` +
      `p50 ${fig(percentile(sorted, 0.5))} ms, p90 ${fig(percentile(sorted, 0.9))} ms, ` +
      `p99 ${fig(percentile(sorted, 0.99))} ms, slowest ${slowest}; ` +
      `plan: ${nodeTypes(root).join(' > ')}`;
    console.info(`backlog: ${figures}`);
    expect(claimedTotal, figures).toBe(CLAIMS * BATCH);
    expect(percentile(sorted, 0.99), figures).toBeLessThan(P99_LIMIT_MS);
  }, 90_000);
});
