/**
 * A soak worker process: one taskmill worker with retention on, as `taskmill worker` would run
 * it, stopping on SIGTERM by the library's own signal handling (`handleSignals`), which closes the
 * taskmill and then lets the signal end the process. Every `sampleMs` it prints a line of figures
 * (soak-task.ts); its last line is printed when the worker has stopped.
 */
import { createTaskmill } from '../../src/index.ts';
import { type SoakChildConfig, soakLine, soakTask, tally } from './soak-task.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as SoakChildConfig;
const rule = { maxAgeMs: config.retainMs };
const mill = await createTaskmill({
  database: config.url,
  tasks: [soakTask],
  retention: { completed: rule, failed: rule, timed_out: rule, cancelled: rule },
});

let claimMs: number[] = [];
let purged = 0;
let reaped = 0;
let leaseLost = 0;
// Only events of this process: task.status is left alone, since listening for it on PostgreSQL
// would make every worker publish its transitions to the others, a load of the bench's making.
mill.on('claim.batch', (e) => claimMs.push(Math.round(e.ms * 100) / 100));
mill.on('retention.purged', (e) => {
  purged += e.count;
});
mill.on('lease.reaped', (e) => {
  reaped += e.taskIds.length;
});
mill.on('lease.lost', () => {
  leaseLost++;
});

function figures() {
  const out = { claimMs, startMs: tally.starts, ended: tally.ended, purged, reaped, leaseLost };
  claimMs = [];
  tally.starts = [];
  tally.ended = 0;
  purged = 0;
  reaped = 0;
  leaseLost = 0;
  return out;
}

const timer = setInterval(() => {
  process.stdout.write(soakLine('sample', config.role, figures()));
}, config.sampleMs);
mill.on('worker.stopped', () => {
  clearInterval(timer);
  process.stdout.write(soakLine('final', config.role, figures()));
});
await mill.startWorker({
  name: `soak-${config.role}-${process.pid}`,
  concurrency: config.concurrency,
  retentionMs: config.retentionEveryMs,
});
process.stdout.write(soakLine('ready', config.role, {}));
