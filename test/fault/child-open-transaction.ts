/**
 * A process that dies inside its own transaction: `child-open-transaction.ts '<config JSON>'`.
 * Opens the shared database, begins a transaction on its own connection, submits a task in it,
 * prints `open <taskId> <backend pid>`, and then waits, never committing, for its SIGKILL.
 */
import pg from 'pg';
import { createTaskmill } from '../../src/index.ts';
import { faultTasks } from './fault-tasks.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  database: string;
  dataDir: string;
  ledger: string;
  /** The same server without `?schema=`: the caller's own connection. */
  server: string;
};

const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: faultTasks({ ledger: config.ledger }),
});
const client = new pg.Client({ connectionString: config.server });
await client.connect();
await client.query('begin');
const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]
  ?.pid;
const task = await mill.submit('fault.work', { ms: 1 }, { client });
process.stdout.write(`open ${task.id} ${backend}\n`);
// Held open until the test kills this process.
setInterval(() => undefined, 60_000);
