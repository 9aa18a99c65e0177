/** taskmill under test: the library API, as a user imports it. */
import { createTaskmill, defineTask, type Taskmill } from '../../../src/index.ts';
import { noop, noopInput } from '../common.ts';
import type { Subject } from '../subjects.ts';

/** `pgSchema`: on PostgreSQL, count unfinished tasks straight from the partial indexes rather
 * than through `stats()`, which counts every row and would load the server it measures. */
export function taskmill(url: string, remove: () => Promise<void>, pgSchema?: string): Subject {
  let statsMill: Taskmill | undefined;
  return {
    async prepare() {
      const mill = await createTaskmill({ database: url, tasks: [noop] });
      await mill.close();
    },
    async producer() {
      const mill = await createTaskmill({ database: url, tasks: [noop] });
      return {
        addMany: async (payloads) => {
          await mill.submitMany(payloads.map((input) => ({ type: 'bench.noop' as const, input })));
        },
        add: async (input) => {
          await mill.submit('bench.noop', input);
        },
        close: () => mill.close(),
      };
    },
    async consume(concurrency, handler, start) {
      const task = defineTask({
        name: 'bench.noop',
        input: noopInput,
        run: (input) => {
          handler(input);
          return null;
        },
      });
      const mill = await createTaskmill({ database: url, tasks: [task] });
      statsMill = mill;
      start?.ready();
      await start?.gate;
      await mill.startWorker({ concurrency, handleSignals: false });
      return { stop: () => mill.close() };
    },
    async unsettled() {
      if (pgSchema) {
        const { countRows } = await import('../pg-schema.ts');
        return countRows(
          `SELECT count(*) AS n FROM "${pgSchema}".tasks WHERE status IN ('queued', 'retrying', 'running')`,
        );
      }
      const mill = statsMill ?? (await createTaskmill({ database: url, tasks: [noop] }));
      statsMill = mill;
      const stats = await mill.stats();
      return stats.total - stats.byStatus.completed;
    },
    analyze: async () =>
      pgSchema ? (await import('../pg-schema.ts')).analyzeSchema(pgSchema) : [],
    async drop() {
      await statsMill?.close().catch(() => {});
      await remove();
    },
  };
}
