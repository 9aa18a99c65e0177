import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyTaskDefinition, defineTask } from '../../src/core/define-task.ts';
import { EventBus } from '../../src/core/event-bus.ts';
import { ServiceHost } from '../../src/mill/service-host.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { Worker } from '../../src/worker/worker.ts';
import { ManualTimers } from '../helpers/manual-timers.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const job = defineTask({ name: 'job', input: z.object({}), run: () => undefined });

describe("a worker's periodic services", () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  async function setup(retention: Record<string, { maxAgeMs: number }> = {}) {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({ path: `${dir.path}/db.sqlite` });
    const timers = new ManualTimers();
    const services = new ServiceHost({ clock: timers.clock, timers });
    const worker = new Worker(
      {
        store,
        bus: new EventBus(),
        clock: timers.clock,
        definitions: new Map<string, AnyTaskDefinition>([['job', job]]),
        dataDir: dir.path,
        retention,
        services,
      },
      { handleSignals: false, pollMs: 60_000, heartbeatMs: 1_000, leaseMs: 30_000 },
    );
    return { store, timers, services, worker };
  }

  it('join the host when the worker starts and leave it when the worker stops', async () => {
    const { store, services, worker } = await setup({ completed: { maxAgeMs: 60_000 } });
    expect(services.status()).toEqual([]);
    await worker.start();
    expect(services.status().map((s) => [s.name, s.everyMs])).toEqual([
      ['heartbeat', 1_000],
      ['sweeper', 15_000],
      ['retention', 60_000],
    ]);
    await worker.stop();
    expect(services.status()).toEqual([]);
    await services.stop();
    await store.close();
  });

  it('leave retention out when there are no rules', async () => {
    const { store, services, worker } = await setup();
    await worker.start();
    expect(services.status().map((s) => s.name)).toEqual(['heartbeat', 'sweeper']);
    await worker.stop();
    await store.close();
  });

  it("beat on the host's timers and clock: the worker row says when", async () => {
    const { store, timers, worker } = await setup();
    await worker.start();
    const registeredAt = timers.clock.now();
    const seen = async () =>
      (
        await store.workerList({ now: timers.clock.now(), offlineAfterMs: 60_000 })
      )[0]?.lastHeartbeatAt.getTime();
    expect(await seen()).toBe(registeredAt);
    await timers.advance(999);
    expect(await seen()).toBe(registeredAt);
    await timers.advance(1);
    expect(await seen()).toBe(registeredAt + 1_000);
    await timers.advance(3_000);
    expect(await seen()).toBe(registeredAt + 4_000);
    await worker.stop();
    await store.close();
  });
});
