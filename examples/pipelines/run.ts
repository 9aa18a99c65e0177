/**
 * Seed 004's examples in taskmill: register the pipelines, run each over the inputs [10, 20]
 * (`runMany`, one run per input: seed 004's `execute({ "double": [10, 20] })`), follow the status
 * as `{ completed, total }`, and print the results in input order. BATCH runs once over the list.
 * Run it with `npx node examples/pipelines/run.ts` (a test runs it and checks what it prints).
 */
import { createTaskmill } from 'taskmill';
import { batch, parallelProcesses, parallelThreads, sequential } from './tasks.ts';

const mill = await createTaskmill({
  database: 'sqlite::memory:',
  tasks: [],
  pipelines: [sequential, parallelThreads, parallelProcesses, batch],
});
await mill.startWorker({
  concurrency: 4,
  handleSignals: false,
  executors: { thread: { size: 2 }, process: { size: 2 } },
});

for (const pipeline of [sequential, parallelThreads, parallelProcesses]) {
  const started = await mill.pipelines.runMany(pipeline, [10, 20]);
  const done = await mill.pipelines.waitBatch(started.id, { timeoutMs: 30_000 });
  const results = done.runs.map((run) => run.output?.['step2']);
  console.log(`${pipeline.name}: ${done.completed}/${done.total} ${JSON.stringify(results)}`);
}

const run = await mill.pipelines.run(batch, [10, 20, 30]);
const done = await mill.pipelines.wait(run.id, { timeoutMs: 30_000 });
console.log(`${batch.name}: ${done.status} ${JSON.stringify(done.output?.['step2'])}`);

await mill.close();
