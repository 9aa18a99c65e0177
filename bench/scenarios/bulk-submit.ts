import { createTaskmill } from '../../src/index.ts';
import { freshDatabase, noop, report } from './common.ts';

const n = Number(process.argv[2] ?? 100_000);
const db = freshDatabase();
const mill = await createTaskmill({ database: db.url, tasks: [noop] });
const items = Array.from({ length: n }, (_, i) => ({ type: 'bench.noop' as const, input: { i } }));
const started = performance.now();
await mill.submitMany(items);
const seconds = (performance.now() - started) / 1000;
await mill.close();
db.remove();
report({ scenario: 'bulk submit', tasks: n, tasksPerSecond: Math.round(n / seconds) });
