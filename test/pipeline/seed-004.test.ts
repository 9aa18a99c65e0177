/**
 * Seed 004's two examples as a user of taskmill writes them: register the "double" pipeline,
 * run it over a list of inputs in one call, read `{ completed, total }` and the results in input
 * order; then the same in child processes, polling the status until every run is done.
 */
import { describe, expect, it } from 'vitest';
import { double, doubleInProcesses } from '../fixtures/pipeline-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);

  describe("seed 004's examples", () => {
    it('SEQUENTIAL: execute({ double: [10, 20] }) gives [40, 80]', async () => {
      const mill = await open([], { pipelines: [double] });
      const batch = await mill.pipelines.runMany(double, [10, 20]);
      expect(batch).toMatchObject({ pipeline: 'double', total: 2, completed: 0 });
      await mill.startWorker({ concurrency: 4, handleSignals: false });
      const done = await mill.pipelines.waitBatch(batch.id, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ total: 2, completed: 2, failed: 0 });
      expect(done.runs.map((r) => r.output?.['step2'])).toEqual([40, 80]);
    });

    it('PARALLEL_PROCESS: [100, 200, 300, 400] in child processes, polled until completed == total', async () => {
      const mill = await open([], { pipelines: [doubleInProcesses] });
      const batch = await mill.pipelines.runMany(doubleInProcesses, [100, 200, 300, 400]);
      await mill.startWorker({
        concurrency: 4,
        handleSignals: false,
        executors: { process: { size: 2 } },
      });
      let status = await mill.pipelines.batch(batch.id);
      for (let polls = 0; status.completed < status.total && polls < 300; polls++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await mill.pipelines.batch(batch.id);
      }
      expect(status).toMatchObject({ completed: 4, total: 4 });
      const results = status.runs.map((r) => r.output?.['step2'] as { value: number; pid: number });
      expect(results.map((r) => r.value)).toEqual([400, 800, 1200, 1600]);
      expect(results.every((r) => r.pid !== process.pid)).toBe(true);
    });
  });
});
