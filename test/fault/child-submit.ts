/**
 * A submitting process for the fault tests: `child-submit.ts '<ChildSubmitConfig as JSON>'`.
 * Prints `ready`, waits for a `go` line on stdin so that every process starts at once, makes
 * `count` concurrent submits with one idempotency key, prints `id <taskId>` or `error <code>`
 * for each, and exits.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createTaskmill } from '../../src/index.ts';
import { faultTasks } from './fault-tasks.ts';
import { type ChildSubmitConfig, describeError, readyLine } from './protocol.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildSubmitConfig;

const mill = await createTaskmill({
  database: config.database,
  dataDir: config.dataDir,
  tasks: faultTasks({ ledger: config.ledger }),
});
const stdin = createInterface({ input: process.stdin });
const go = once(stdin, 'line');
process.stdout.write(`${readyLine({ pid: process.pid, workerId: null })}\n`);
await go;
stdin.close();

const results = await Promise.allSettled(
  Array.from({ length: config.count }, () =>
    mill.submit('fault.work', config.input, { idempotencyKey: config.key }),
  ),
);
for (const r of results) {
  if (r.status === 'fulfilled') {
    process.stdout.write(`id ${r.value.id}\n`);
  } else {
    const code = (r.reason as { code?: unknown }).code;
    process.stdout.write(`error ${typeof code === 'string' ? code : 'UNKNOWN'}\n`);
    process.stderr.write(`submit failed: ${describeError(r.reason)}\n`);
  }
}
await mill.close();
process.exit(0);
