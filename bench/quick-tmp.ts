import { rmSync } from 'node:fs';
import { z } from 'zod';
import { createTaskmill, defineTask } from '../src/index.ts';

rmSync('/tmp/tmq/q.db', { force: true });
rmSync('/tmp/tmq/q.db-wal', { force: true });
rmSync('/tmp/tmq/q.db-shm', { force: true });
const noop = defineTask({ name: 'noop', input: z.object({ i: z.number() }), run: () => null });
const mill = await createTaskmill({ database: 'sqlite:/tmp/tmq/q.db', tasks: [noop] });
const N = Number(process.argv[3] ?? 100_000);
let t = performance.now();
const items = Array.from({ length: N }, (_, i) => ({ type: 'noop' as const, input: { i } }));
await mill.submitMany(items);
console.log('bulk submit/s', Math.round(N / ((performance.now() - t) / 1000)));
let done = 0;
const finished = new Promise<void>((r) =>
  mill.on('task.status', (e) => {
    if (e.to === 'completed' && ++done === N) r();
  }),
);
t = performance.now();
await mill.startWorker({ concurrency: Number(process.argv[2] ?? 32), handleSignals: false });
await finished;
console.log(
  'process/s',
  Math.round(N / ((performance.now() - t) / 1000)),
  'rss MB',
  Math.round(process.memoryUsage().rss / 1e6),
);
await mill.close();
