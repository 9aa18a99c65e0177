/** taskmill under test: the library API, as a user imports it. */
import {
  createTaskmill,
  defineTask,
  type Taskmill,
  type WorkerOptions,
} from '../../../src/index.ts';
import { noop, noopInput } from '../common.ts';
import type { Subject } from '../subjects.ts';

/** Where a run's tasks live, and the bench's own statements on it. */
export interface Place {
  url: string;
  /** Before the first `createTaskmill`: a server database that must exist first (MariaDB). */
  create?: () => Promise<void>;
  remove: () => Promise<void>;
  /** Count unfinished tasks straight from the table rather than through `stats()`, which counts
   * every row and would load the server it measures. */
  unsettled?: () => Promise<number>;
  /** After a fill, before the worker starts: gather the tables' statistics. */
  analyze?: () => Promise<string[]>;
  /** What a user would set on this store's workers (the MariaDB rows' poll interval). */
  worker?: WorkerOptions;
}

export function taskmill(place: Place): Subject {
  const { url } = place;
  let statsMill: Taskmill | undefined;
  return {
    async prepare() {
      await place.create?.();
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
      await mill.startWorker({ ...place.worker, concurrency, handleSignals: false });
      return { stop: () => mill.close() };
    },
    async unsettled() {
      if (place.unsettled) return place.unsettled();
      const mill = statsMill ?? (await createTaskmill({ database: url, tasks: [noop] }));
      statsMill = mill;
      const stats = await mill.stats();
      return stats.total - stats.byStatus.completed;
    },
    analyze: async () => (place.analyze ? place.analyze() : []),
    async drop() {
      await statsMill?.close().catch(() => {});
      await place.remove();
    },
  };
}
