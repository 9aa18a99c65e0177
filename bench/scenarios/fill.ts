import { createTaskmill } from '../../src/index.ts';
import { noop } from './common.ts';

/** Fill a database with `n` queued no-op tasks (run in its own process, so its memory is not counted). */
const [url, count] = process.argv.slice(2);
const n = Number(count);
const mill = await createTaskmill({ database: url ?? '', tasks: [noop] });
for (let i = 0; i < n; i += 50_000) {
  const size = Math.min(50_000, n - i);
  await mill.submitMany(
    Array.from({ length: size }, (_, j) => ({ type: 'bench.noop' as const, input: { i: i + j } })),
  );
}
await mill.close();
