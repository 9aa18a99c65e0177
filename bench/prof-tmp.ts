import { SqliteConnection } from '../src/store/sqlite/connection.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { uuidv7 } from '../src/core/ids.ts';
import { rmSync, mkdirSync } from 'node:fs';
const times = new Map<string, number>();
const P = SqliteConnection.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const m of ['all', 'run', 'get', 'exec']) {
  const orig = P[m]!;
  P[m] = function (this: unknown, name: unknown, ...rest: unknown[]) {
    const t = performance.now();
    try { return orig.call(this, name, ...rest); } finally {
      const k = m === 'exec' ? String(name).slice(0, 20) : String(name);
      times.set(k, (times.get(k) ?? 0) + performance.now() - t);
    }
  };
}
mkdirSync('/tmp/tmq', { recursive: true }); for (const s of ['', '-wal', '-shm']) rmSync('/tmp/tmq/p.db' + s, { force: true });
const store = await openSqliteStore({ path: '/tmp/tmq/p.db' });
const N = 50000; const B = Number(process.argv[2] ?? 32);
const now = Date.now();
const t1 = performance.now();
await store.taskInsertMany({ now, tasks: Array.from({ length: N }, (_, i) => ({ id: uuidv7(now), type: 'noop', queue: 'default', priority: 2, status: 'queued' as const, input: { i }, maxAttempts: 3, runAt: now, idempotencyKey: null, inputHash: null })) });
const ins = performance.now() - t1;
console.log('insert', Math.round(N / (ins / 1000)), '/s'); for (const [k, v] of [...times.entries()].sort((a, b) => b[1] - a[1])) console.log('  ', (v / ins * 100).toFixed(1) + '%', k);
times.clear();
const t0 = performance.now();
let done = 0; let prev: Awaited<ReturnType<typeof store.taskClaim>> = [];
while (done < N) {
  const out = await store.taskSettleClaim({ now, workerId: 'w', items: prev.map((c) => ({ id: c.task.id, token: c.leaseToken, to: 'completed' as const, outcome: 'completed' as const, reason: 'completed', output: null, metrics: { durationMs: 0.1, peakRssBytes: 1 } })), claim: { limit: B, types: ['noop'], queues: null, leaseMs: 30000 } });
  done += prev.length; prev = out.claimed;
  if (prev.length === 0) break;
}
const total = performance.now() - t0;
console.log('settle+claim batch', B, Math.round(N / (total / 1000)), '/s');
for (const [k, v] of [...times.entries()].sort((a, b) => b[1] - a[1])) console.log('  ', (v / total * 100).toFixed(1) + '%', k);
