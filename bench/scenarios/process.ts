import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTaskmill } from '../../src/index.ts';
import { freshDatabase, noop, report } from './common.ts';

// Compiled (.js) or run from source (.ts): siblings share this file's extension.
const EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));

/** Process `n` queued no-op tasks at a given concurrency; the queue is filled by another process
 * first, so the peak RSS reported is the worker's own. */
const n = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 32);
const note = process.argv[4] ? `, ${process.argv[4]}` : '';
const db = freshDatabase();
const fill = spawnSync(
  process.execPath,
  ['--no-warnings', fileURLToPath(new URL(`./fill${EXT}`, import.meta.url)), db.url, String(n)],
  { stdio: 'inherit' },
);
if (fill.status !== 0) throw new Error('filling the queue failed');
const mill = await createTaskmill({ database: db.url, tasks: [noop] });
let completed = 0;
const done = new Promise<void>((resolve) => {
  mill.on('task.status', (e) => {
    if (e.to === 'completed' && ++completed === n) resolve();
  });
});
const started = performance.now();
const cpuBefore = process.cpuUsage();
await mill.startWorker({ concurrency, handleSignals: false });
await done;
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await mill.close();
db.remove();
report({
  scenario: `process, concurrency ${concurrency}${note}`,
  tasks: n,
  tasksPerSecond: Math.round(n / seconds),
  tasksPerCpuSecond: Math.round(n / ((cpu.user + cpu.system) / 1e6)),
});
