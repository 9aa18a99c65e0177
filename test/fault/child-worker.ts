/**
 * A worker process for the fault tests: `child-worker.ts '<ChildWorkerConfig as JSON>'`. Opens
 * the database, starts a worker, prints `ready`, and optionally submits work of its own. It
 * never handles a signal itself (it only notes when SIGTERM arrived): the library's handling (or
 * the default one) is what is tested.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createTaskmill } from '../../src/index.ts';
import { faultTasks } from './fault-tasks.ts';
import {
  type ChildWorkerConfig,
  claimedLine,
  describeError,
  readyLine,
  startedLine,
} from './protocol.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildWorkerConfig;

process.on('unhandledRejection', (error) => {
  process.stderr.write(`unhandled rejection: ${describeError(error)}\n`);
  process.exit(1);
});

const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: faultTasks({ ledger: config.ledger, capMs: config.capMs }),
});
mill.on('lease.lost', (e) => process.stdout.write(`lease.lost ${e.taskId} ${e.what}\n`));
// The worker's own account of an outage, with the times it gives: when it noticed, when it
// could reach the database again.
mill.on('database.unavailable', (e) =>
  process.stdout.write(`database.unavailable ${e.at.getTime()} ${describeError(e.error)}\n`),
);
mill.on('database.recovered', (e) =>
  process.stdout.write(`database.recovered ${e.at.getTime()} ${e.downMs}\n`),
);
// When its sweeper and claim loop began, and when its first claim returned tasks: the worker
// starts both before `startWorker` resolves, so `ready` would come too late for either.
mill.on('worker.started', (e) => process.stdout.write(`${startedLine(e.workerId, Date.now())}\n`));
const stopWatchingClaims = mill.on('claim.batch', () => {
  stopWatchingClaims();
  process.stdout.write(`${claimedLine(Date.now())}\n`);
});
// Only observes: says when this process saw the signal (the sender's clock runs a little ahead of
// the handler). A `once` listener is gone again before the library re-raises the signal.
process.once('SIGTERM', () => process.stdout.write(`sigterm ${Date.now()}\n`));
const worker = await mill.startWorker(config.worker);
process.stdout.write(`${readyLine({ pid: process.pid, workerId: worker.id })}\n`);

const submit = config.submit;
if (submit) {
  for (let batch = 0; batch < submit.batches; batch++) {
    const size = 1 + Math.floor(Math.random() * submit.maxBatch);
    const items = Array.from({ length: size }, () => ({
      type: 'fault.work' as const,
      input: { ms: Math.floor(Math.random() * submit.maxMs) },
    }));
    try {
      const tasks = await mill.submitMany(items);
      // Printed only once the submit resolved: these ids are what the library acknowledged.
      // Writes to a pipe are synchronous on Linux, so a kill right after cannot lose them.
      process.stdout.write(tasks.map((t) => `ack ${t.id}\n`).join(''));
    } catch (error) {
      process.stderr.write(`submit failed: ${describeError(error)}\n`);
    }
    await sleep(submit.pauseMs);
  }
  process.stdout.write('submitted\n');
}
