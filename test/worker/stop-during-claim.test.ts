import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.ts';
import { type AnyTaskDefinition, defineTask } from '../../src/core/define-task.ts';
import { EventBus } from '../../src/core/event-bus.ts';
import { uuidv7 } from '../../src/core/ids.ts';
import { ServiceHost } from '../../src/mill/service-host.ts';
import type { Store } from '../../src/store/contract.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { Worker } from '../../src/worker/worker.ts';
import { gate } from '../helpers/mill.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('a claim on its way when the worker is told to stop', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('runs none of the tasks it brings back, and gives them back without using an attempt', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const real = await openSqliteStore({ path: `${dir.path}/db.sqlite` });
    // The claim waits at the door, as a claim waits on a round trip to PostgreSQL.
    const door = gate();
    let claims = 0;
    const store = new Proxy(real, {
      get(target, key) {
        if (key === 'taskClaim') {
          return async (p: Parameters<Store['taskClaim']>[0]) => {
            claims++;
            await door.promise;
            return target.taskClaim(p);
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const started: string[] = [];
    const job = defineTask({
      name: 'job',
      input: z.object({}),
      run: () => void started.push('ran'),
    });
    const now = Date.now();
    const id = uuidv7(now);
    await real.taskInsert({
      now,
      tasks: [
        {
          id,
          type: 'job',
          queue: 'default',
          priority: 2,
          status: 'queued',
          input: {},
          maxAttempts: 3,
          runAt: now,
          idempotencyKey: null,
          inputHash: null,
        },
      ],
    });
    const definitions = new Map<string, AnyTaskDefinition>([['job', job]]);
    const worker = new Worker(
      {
        store,
        bus: new EventBus(),
        clock: systemClock,
        definitions,
        dataDir: dir.path,
        retention: {},
        services: new ServiceHost({ clock: systemClock }),
      },
      { handleSignals: false, pollMs: 60_000 },
    );
    await worker.start();
    await waitFor('the claim to be on its way', () => claims === 1);
    const stopped = worker.stop({ graceMs: 5_000 });
    door.open();
    await stopped;
    expect(started).toEqual([]);
    expect(await real.taskGet({ id })).toMatchObject({
      status: 'queued',
      attempt: 0,
      workerId: null,
    });
    // The claim is undone, as if it had not happened: no attempt recorded, no history entry.
    expect(await real.executionList({ taskId: id })).toEqual([]);
    expect((await real.historyList({ id })).map((h) => h.to)).toEqual(['queued']);
    await real.close();
  });
});
