/**
 * Retention of tick records as a service on the host: a run a minute (on the host's timers and
 * clock) deletes the ticks older than `keepRunsMs`, at most 10,000 a run in batches, so a
 * backlog drains over a few runs. The cut-off is read from the clock at each run.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/event-bus.ts';
import { SchedulerControl } from '../../src/mill/scheduler-control.ts';
import { ServiceHost } from '../../src/mill/service-host.ts';
import { PRUNE_BATCH, TickRetention } from '../../src/scheduler/tick-retention.ts';
import { MINUTE, SECOND, T0 } from '../../src/store/conformance/factories.ts';
import {
  createSchedule,
  fired,
  fireParams,
  minuteTicks,
} from '../../src/store/conformance/schedule-factories.ts';
import type { Store } from '../../src/store/contract.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { refusalOf } from '../helpers/error-of.ts';
import { ManualTimers } from '../helpers/manual-timers.ts';
import { useMills } from '../helpers/mill.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const HOUR = 60 * MINUTE;

/** `count` minutely ticks from T0 + 1 min, recorded skipped (no task), 1,000 a call. */
async function skippedTicks(store: Store, count: number): Promise<void> {
  const s = await createSchedule(store);
  for (let from = T0; from < T0 + count * MINUTE; from += 1000 * MINUTE) {
    const n = Math.min(1000, (T0 + count * MINUTE - from) / MINUTE);
    const ticks = minuteTicks(from, n).map((t) => ({ ...t, skip: 'catch_up' as const }));
    fired(await store.scheduleFire(fireParams(s.name, from, ticks)));
  }
}

async function kept(store: Store): Promise<number> {
  const [row] = await store.scheduleStatsGet({});
  return row?.stats.skipped.catch_up ?? 0;
}

describe('tick retention', () => {
  it('runs a minute apart on the host and deletes what is older than keepRunsMs', async () => {
    const dir = tempDir();
    const store = await openSqliteStore({ path: `${dir.path}/r.db` });
    await skippedTicks(store, 180); // T0 + 1 min … T0 + 3 h
    const timers = new ManualTimers();
    timers.clock.set(T0 + 3 * HOUR);
    const host = new ServiceHost({ clock: timers.clock, timers });
    host.add(new TickRetention(store, timers.clock, HOUR).service());
    await timers.advance(59 * SECOND);
    expect(await kept(store)).toBe(180);
    // At T0 + 3 h 1 min: every tick before T0 + 2 h 1 min goes (the first 120), 60 stay.
    await timers.advance(SECOND);
    expect(await kept(store)).toBe(60);
    // A minute on, the clock moved the cut-off: one more goes.
    await timers.advance(MINUTE);
    expect(await kept(store)).toBe(59);
    await host.stop();
    await store.close();
    dir.remove();
  });

  it('deletes at most 10,000 a run, in batches, so a backlog drains over runs', async () => {
    const dir = tempDir();
    const store = await openSqliteStore({ path: `${dir.path}/r.db` });
    const backlog = 20 * PRUNE_BATCH + 300;
    await skippedTicks(store, backlog);
    let calls = 0;
    const counted: Store = Object.create(store, {
      scheduleTickPrune: {
        value: (p: { before: number; limit: number }) => {
          calls++;
          return store.scheduleTickPrune(p);
        },
      },
    });
    const clock = { now: () => T0 + 400 * 24 * HOUR };
    const retention = new TickRetention(counted, clock, HOUR);
    expect(await retention.prune()).toBe(20 * PRUNE_BATCH);
    expect(calls).toBe(20);
    expect(await retention.prune()).toBe(300);
    expect(await retention.prune()).toBe(0);
    expect(await kept(store)).toBe(0);
    await store.close();
    dir.remove();
  });
});

it('starts and stops with the scheduler', async () => {
  const dir = tempDir();
  const store = await openSqliteStore({ path: `${dir.path}/r.db` });
  const timers = new ManualTimers();
  const host = new ServiceHost({ clock: timers.clock, timers });
  const deps = { store, clock: timers.clock, definitions: new Map(), bus: new EventBus() };
  const control = new SchedulerControl(deps, host, { keepRunsMs: HOUR });
  expect(control.retention.keepRunsMs).toBe(HOUR);
  const handle = control.start();
  expect(host.status().map((s) => s.name)).toEqual(['scheduler', 'schedule-retention']);
  await handle.stop();
  expect(host.status()).toEqual([]);
  await store.close();
  dir.remove();
});

describe('createTaskmill scheduler.keepRunsMs', () => {
  const open = useMills();
  it('is checked at run time', async () => {
    const error = await refusalOf(() => open([], { scheduler: { keepRunsMs: -1 } }));
    expect(error.issues[0]).toMatchObject({ path: 'scheduler.keepRunsMs' });
  });
});
