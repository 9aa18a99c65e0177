/**
 * A scheduler process for the fault tests: `child-scheduler.ts '<ChildSchedulerConfig as JSON>'`
 * (the conversation is described in protocol.ts). Its clock moves only when the parent says so,
 * and its scheduler passes only when asked: the parent plays simulated time for every process,
 * with no sleeps. It never handles a signal: a SIGKILL lands wherever the pass is.
 */
import { createInterface } from 'node:readline';
import { createTaskmill, type SchedulerHandle } from '../../src/index.ts';
import { BY_HAND, TASKS } from '../scheduler/simulation.ts';
import { type ChildSchedulerConfig, describeError, readyLine } from './protocol.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildSchedulerConfig;

process.on('unhandledRejection', (error) => {
  process.stderr.write(`unhandled rejection: ${describeError(error)}\n`);
  process.exit(1);
});

let clockMs = 0;
const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: TASKS,
  clock: { now: () => clockMs },
  scheduler: BY_HAND,
});
// Started on the first pass, once the clock is set: starting runs one pass at once.
let scheduler: SchedulerHandle | null = null;
process.stdout.write(`${readyLine({ pid: process.pid, workerId: null })}\n`);

// One line at a time: a pass is answered before the next line is read.
for await (const line of createInterface({ input: process.stdin })) {
  const [word, n, at] = line.split(' ');
  if (word !== 'pass') continue;
  clockMs = Number(at);
  process.stdout.write(`begin ${n}\n`);
  try {
    scheduler ??= mill.startScheduler();
    const report = await scheduler.pass();
    process.stdout.write(`passed ${n} ${JSON.stringify(report)}\n`);
  } catch (error) {
    process.stdout.write(`failed ${n} ${describeError(error)}\n`);
  }
}
await mill.close();
