/**
 * A worker process for the pipeline kill test: `child-pipeline-worker.ts '<config as JSON>'`.
 * Opens the database with the test's pipeline, starts a worker and prints `started <workerId>
 * <ms>`, `ready {…}`, then a line per handler start and end (pipeline-kill-tasks.ts). It handles
 * no signal: it is only ever killed with SIGKILL.
 */
import { createTaskmill, type WorkerOptions } from '../../src/index.ts';
import { pipelineKillPipeline } from './pipeline-kill-tasks.ts';
import { describeError, readyLine, startedLine } from './protocol.ts';

export interface ChildPipelineWorkerConfig {
  database: string;
  dataDir: string;
  ledger: string;
  worker: WorkerOptions;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildPipelineWorkerConfig;

process.on('unhandledRejection', (error) => {
  process.stderr.write(`unhandled rejection: ${describeError(error)}\n`);
  process.exit(1);
});

const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: [],
  pipelines: [pipelineKillPipeline({ ledger: config.ledger, announce: true })],
});
mill.on('worker.started', (e) => process.stdout.write(`${startedLine(e.workerId, Date.now())}\n`));
mill.on('lease.lost', (e) => process.stdout.write(`lease.lost ${e.taskId} ${e.what}\n`));
const worker = await mill.startWorker(config.worker);
process.stdout.write(`${readyLine({ pid: process.pid, workerId: worker.id })}\n`);
