/** The scheduler as a service on the host: passes on the host's timers and clock, and none after
 * the host stops. */
import { expect, it } from 'vitest';
import { EventBus } from '../../src/core/event-bus.ts';
import { ServiceHost } from '../../src/mill/service-host.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { storedSchedule } from '../../src/store/conformance/schedule-factories.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ManualTimers } from '../helpers/manual-timers.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { MINUTE, SECOND, T0, tick } from './simulation.ts';

it('passes every pollMs on the host, firing each tick as its time comes', async () => {
  const dir = tempDir();
  const store = await openSqliteStore({ path: `${dir.path}/s.db` });
  const timers = new ManualTimers();
  timers.clock.set(T0 - 30 * SECOND);
  const host = new ServiceHost({ clock: timers.clock, timers });
  const fired: number[] = [];
  const bus = new EventBus();
  bus.on('schedule.fired', (e) => fired.push(e.scheduledAt.getTime() - T0));
  let woken = 0;
  const scheduler = new Scheduler(
    {
      store,
      clock: timers.clock,
      definitions: new Map([[tick.name, tick]]),
      bus,
      onTasks: () => woken++,
    },
    { pollMs: 10 * SECOND },
  );
  const now = timers.clock.now();
  await store.scheduleSave({
    now,
    create: [storedSchedule({ task: 'tick', createdAt: now, cursorAt: now, nextAt: T0 })],
    update: [],
  });
  host.add(scheduler.service());
  await timers.advance(3 * MINUTE + 30 * SECOND);
  expect(fired).toEqual([0, MINUTE, 2 * MINUTE, 3 * MINUTE]);
  expect(woken).toBe(4);
  await host.stop();
  await timers.advance(3 * MINUTE);
  expect(fired).toHaveLength(4);
  await store.close();
  dir.remove();
});
