/**
 * The server side of the event-stream memory measurement (bench/scenarios/sse-memory.ts forks it
 * with `--expose-gc` and an IPC channel):
 *
 *   sse-memory-server <database url> <progress reports per task>
 *
 * `startServer` on a free port with a worker in the same process, as `taskmill serve` runs them.
 * It samples its own memory every 50 ms, keeps the peak, and on `sample` answers with the peak
 * since the last sample and the figures now; with `gc`, after two full collections first, so
 * that what is still held is what is still referenced.
 */
import { z } from 'zod';
import { createTaskmill, defineTask, startServer } from '../../src/index.ts';

export type ToServer = { kind: 'sample'; gc: boolean } | { kind: 'drain'; total: number };
export interface Memory {
  rssMb: number;
  /** What V8 holds from the system for its heap, used or not. */
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}
export type FromServer =
  | { kind: 'ready'; url: string }
  | { kind: 'sample'; now: Memory; peak: Memory }
  | { kind: 'drained' };

const [url = '', reportsArg = '5'] = process.argv.slice(2);
const reports = Number(reportsArg);
const send = (message: FromServer) => process.send?.(message);

// Each task makes `reports` progress events besides its status changes: the stream's traffic.
const progress = defineTask({
  name: 'bench.progress',
  input: z.object({ i: z.number() }),
  run: (_input, ctx) => {
    for (let n = 1; n <= reports; n++) ctx.progress((n * 100) / reports, `step ${n} of ${reports}`);
  },
});

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
function memory(): Memory {
  const m = process.memoryUsage();
  return {
    rssMb: mb(m.rss),
    heapTotalMb: mb(m.heapTotal),
    heapUsedMb: mb(m.heapUsed),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
  };
}
let peak = memory();
const sampler = setInterval(() => {
  const m = memory();
  for (const key of Object.keys(m) as (keyof Memory)[]) peak[key] = Math.max(peak[key], m[key]);
}, 50);
sampler.unref();

const mill = await createTaskmill({ database: url, tasks: [progress] });
let completed = 0;
let drainTo: number | null = null;
mill.on('task.status', (e) => {
  if (e.to !== 'completed') return;
  completed++;
  if (drainTo !== null && completed >= drainTo) {
    drainTo = null;
    send({ kind: 'drained' });
  }
});
const worker = await mill.startWorker({ concurrency: 16, handleSignals: false });
const server = await startServer(mill, { port: 0, worker });

process.on('message', (message: ToServer) => {
  if (message.kind === 'drain') {
    drainTo = message.total;
    if (completed >= drainTo) {
      drainTo = null;
      send({ kind: 'drained' });
    }
    return;
  }
  if (message.gc && globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  const now = memory();
  send({ kind: 'sample', now, peak });
  peak = now;
});
process.on('disconnect', () => {
  void server.close().then(() => mill.close().then(() => process.exit(0)));
});

send({ kind: 'ready', url: server.url });
