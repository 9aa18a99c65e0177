/**
 * A worker process for the PostgreSQL tests: `child-worker.ts '<PgChildConfig as JSON>'`. Opens
 * the database (migrating it if needed), starts one worker and says on stdout what the tests
 * wait on, one fact per line with the wall-clock time it happened:
 * `ready <pid> <workerId>`, `claim <count> <at>`, `down <at>`, `up <at>`.
 * The library's own warnings (the incident log) go to stderr, where the tests count them.
 */
import { createTaskmill, type WorkerOptions } from '../../src/index.ts';
import { pgTasks } from './pg-tasks.ts';

export interface PgChildConfig {
  database: string;
  dataDir: string;
  ledger: string | null;
  worker: WorkerOptions;
}

const config = JSON.parse(process.argv[2] ?? '{}') as PgChildConfig;

process.on('unhandledRejection', (error) => {
  process.stderr.write(`unhandled rejection: ${String(error)}\n`);
  process.exit(1);
});

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: pgTasks(config.ledger),
});
mill.on('claim.batch', (e) => say(`claim ${e.count} ${Date.now()}`));
mill.on('database.unavailable', (e) => say(`down ${e.at.getTime()}`));
mill.on('database.recovered', (e) => say(`up ${e.at.getTime()}`));
const worker = await mill.startWorker({ handleSignals: false, ...config.worker });
say(`ready ${process.pid} ${worker.id}`);
