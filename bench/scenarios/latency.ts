import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createTaskmill, defineTask } from '../../src/index.ts';
import { freshDatabase, percentile, report, wallMs } from './common.ts';

// Compiled (.js) or run from source (.ts): siblings share this file's extension.
const EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));

/**
 * Enqueue-to-start latency with an idle worker: each task carries its submit time, the handler
 * records when it started. `remote` submits from a child process sharing the database file.
 */
const n = Number(process.argv[2] ?? 500);
const remote = process.argv[3] === 'remote';
const db = freshDatabase();
const samples: number[] = [];
let finish: () => void = () => {};
const allStarted = new Promise<void>((r) => (finish = r));
const probe = defineTask({
  name: 'bench.noop',
  input: z.object({ i: z.number(), t: z.number().optional() }),
  run: ({ t }) => {
    samples.push(wallMs() - (t ?? 0));
    if (samples.length === n) finish();
    return null;
  },
});
const mill = await createTaskmill({ database: db.url, tasks: [probe] });
await mill.startWorker({ concurrency: 8, handleSignals: false });
if (remote) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL(`./submitter${EXT}`, import.meta.url)), db.url, String(n)],
    { stdio: 'inherit' },
  );
  await new Promise((r) => child.on('exit', r));
} else {
  for (let i = 0; i < n; i++) {
    await mill.submit('bench.noop', { i, t: wallMs() });
    // Space submits out so each finds the worker idle.
    await new Promise((r) => setTimeout(r, 2));
  }
}
await allStarted;
await mill.close();
db.remove();
samples.sort((a, b) => a - b);
report({
  scenario: `latency, ${remote ? 'other process' : 'same process'}`,
  tasks: n,
  p50Ms: Number(percentile(samples, 50).toFixed(3)),
  p99Ms: Number(percentile(samples, 99).toFixed(3)),
});
