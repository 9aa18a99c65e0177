import { afterEach } from 'vitest';
import {
  type AnyTaskDefinition,
  type Clock,
  createTaskmill,
  type Taskmill,
} from '../../src/index.ts';
import { tempDir } from './temp-dir.ts';

/** Open a taskmill on a fresh SQLite file; everything opened is closed and removed after the test. */
export function useMills(): <const D extends readonly AnyTaskDefinition[]>(
  tasks: D,
  options?: {
    clock?: Clock;
    dbUrl?: string;
    retention?: Parameters<typeof createTaskmill>[0]['retention'];
  },
) => Promise<Taskmill<D> & { dbUrl: string }> {
  const opened: { mill: Taskmill<readonly AnyTaskDefinition[]>; remove?: () => void }[] = [];
  afterEach(async () => {
    for (const { mill, remove } of opened.splice(0).reverse()) {
      await mill.close();
      remove?.();
    }
  });
  return async (tasks, options = {}) => {
    const dir = options.dbUrl ? null : tempDir();
    const dbUrl = options.dbUrl ?? (dir as ReturnType<typeof tempDir>).dbUrl;
    const mill = await createTaskmill({
      database: dbUrl,
      tasks,
      clock: options.clock,
      retention: options.retention,
    });
    opened.push({ mill: mill as Taskmill<readonly AnyTaskDefinition[]>, remove: dir?.remove });
    return Object.assign(mill, { dbUrl });
  };
}

/** A promise with its resolve, for handlers that wait on the test. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}
