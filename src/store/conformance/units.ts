import { describe, expect, it } from 'vitest';
import type { WorkerRegistration, WorkerSecrets } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertAll,
  MINUTE,
  newTask,
  SECOND,
  settlementFor,
  T0,
} from './factories.ts';

const UNIT = 'worker-001';
const SECRETS: WorkerSecrets = { secretHash: 'a'.repeat(64), pushSecret: null };

function unit(overrides: Partial<WorkerRegistration> = {}): WorkerRegistration {
  return {
    id: UNIT,
    name: 'data unit',
    host: 'worker-001',
    pid: 0,
    concurrency: 3,
    types: ['test.echo'],
    queues: null,
    version: 'remote',
    load: 0,
    rssBytes: 0,
    state: 'online',
    unitType: 'DATA_PROCESSING',
    endpoint: 'http://worker-001:8080',
    metadata: null,
    ...overrides,
  };
}

/** Execution units (seed 002): registration under a chosen id, the fields they declare, their
 * capacity on every claim, and heartbeats that renew what they hold without naming it. */
export function unitTests(ctx: ConformanceContext): void {
  const register = (now: number, worker = unit(), secrets = SECRETS) =>
    ctx.store.workerRegister({ now, offlineAfterMs: MINUTE, worker, secrets });
  const listed = async (now: number) =>
    (await ctx.store.workerList({ now, offlineAfterMs: MINUTE })).find((w) => w.id === UNIT);

  describe('workerRegister and workerGetSecrets', () => {
    it('registers a free id with what the unit declared, and keeps its secrets apart', async () => {
      expect(await register(T0, unit({ metadata: { cpu: 1 } }))).toEqual({ ok: true });
      expect(await listed(T0)).toMatchObject({
        id: UNIT,
        state: 'online',
        unitType: 'DATA_PROCESSING',
        endpoint: 'http://worker-001:8080',
        metadata: { cpu: 1 },
        concurrency: 3,
        startedAt: new Date(T0),
      });
      expect(Object.keys((await listed(T0)) ?? {})).not.toContain('secretHash');
      expect(await ctx.store.workerGetSecrets({ id: UNIT })).toEqual(SECRETS);
      expect(await ctx.store.workerGetSecrets({ id: 'nobody' })).toBeNull();
    });

    it('refuses an id a live unit holds and changes nothing, even at the edge of offline', async () => {
      await register(T0);
      const other = unit({ name: 'intruder', endpoint: null });
      const secrets = { secretHash: 'b'.repeat(64), pushSecret: 'p' };
      expect(await register(T0 + MINUTE, other, secrets)).toEqual({ ok: false, reason: 'taken' });
      expect(await listed(T0 + MINUTE)).toMatchObject({
        name: 'data unit',
        startedAt: new Date(T0),
      });
      expect(await ctx.store.workerGetSecrets({ id: UNIT })).toEqual(SECRETS);
    });

    it('lets a new registration take over an offline unit’s id, with new secrets', async () => {
      await register(T0);
      const later = T0 + MINUTE + 1;
      const secrets = { secretHash: 'c'.repeat(64), pushSecret: 'push' };
      expect(await register(later, unit({ name: 'again' }), secrets)).toEqual({ ok: true });
      expect(await listed(later)).toMatchObject({
        name: 'again',
        state: 'online',
        startedAt: new Date(later),
      });
      expect(await ctx.store.workerGetSecrets({ id: UNIT })).toEqual(secrets);
    });

    it('gives a contested id to exactly one of several registrations at once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => register(T0, unit({ name: `unit ${i}` }))),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
    });

    it('keeps the secrets and start time through heartbeats, and the latest metadata', async () => {
      await register(T0);
      await ctx.store.workerUpsert({
        now: T0 + 10 * SECOND,
        worker: unit({ load: 2, metadata: { cpuUsage: 45.2, memoryUsage: 67.8 } }),
      });
      expect(await listed(T0 + 10 * SECOND)).toMatchObject({
        load: 2,
        metadata: { cpuUsage: 45.2, memoryUsage: 67.8 },
        startedAt: new Date(T0),
        lastHeartbeatAt: new Date(T0 + 10 * SECOND),
      });
      expect(await ctx.store.workerGetSecrets({ id: UNIT })).toEqual(SECRETS);
    });
  });

  describe('taskClaim with a capacity', () => {
    it('takes at most the capacity minus the tasks running under the worker', async () => {
      await insertAll(
        ctx.store,
        Array.from({ length: 6 }, () => newTask()),
      );
      const first = await ctx.store.taskClaim({
        now: T0,
        workerId: UNIT,
        limit: 1,
        types: ['test.echo'],
        queues: null,
        leaseMs: MINUTE,
        capacity: 3,
      });
      expect(first).toHaveLength(1);
      const capped = (limit: number, now = T0) =>
        ctx.store.taskClaim({
          now,
          workerId: UNIT,
          limit,
          types: ['test.echo'],
          queues: null,
          leaseMs: MINUTE,
          capacity: 3,
        });
      expect(await capped(10)).toHaveLength(2);
      expect(await capped(10)).toHaveLength(0);
      // Another worker's tasks do not count against this one.
      expect(await claim(ctx.store, { now: T0, workerId: 'other', limit: 1 })).toHaveLength(1);
      const held = first[0];
      if (!held) throw new Error('nothing claimed');
      const [done] = await ctx.store.taskSettle({
        now: T0 + SECOND,
        workerId: UNIT,
        items: [settlementFor(held)],
      });
      expect(done?.ok).toBe(true);
      expect(await capped(10, T0 + SECOND)).toHaveLength(1);
    });

    it('never exceeds the capacity with many claims for one worker at once', async () => {
      await insertAll(
        ctx.store,
        Array.from({ length: 20 }, () => newTask()),
      );
      const batches = await Promise.all(
        Array.from({ length: 6 }, () =>
          ctx.store.taskClaim({
            now: T0,
            workerId: UNIT,
            limit: 3,
            types: ['test.echo'],
            queues: null,
            leaseMs: MINUTE,
            capacity: 4,
          }),
        ),
      );
      const ids = claimedIds(batches.flat());
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
    });
  });

  describe('leaseRenew without a list of leases', () => {
    it('renews what the current registration claimed, not what a previous holder of the id did', async () => {
      await register(T0);
      await insertAll(
        ctx.store,
        Array.from({ length: 3 }, () => newTask()),
      );
      const old = await claim(ctx.store, { now: T0, workerId: UNIT, limit: 1, leaseMs: MINUTE });
      const later = T0 + 2 * MINUTE;
      await register(later, unit({ name: 'again' }));
      const mine = await claim(ctx.store, {
        now: later,
        workerId: UNIT,
        limit: 1,
        leaseMs: MINUTE,
      });
      const renewed = await ctx.store.leaseRenew({
        now: later + SECOND,
        workerId: UNIT,
        leaseMs: MINUTE,
      });
      expect(renewed.lost).toEqual([]);
      expect(renewed.held).toEqual(mine.map((c) => ({ id: c.task.id, token: c.leaseToken })));
      expect(claimedIds(old)).not.toContain(renewed.held?.[0]?.id);
      const expired = await ctx.store.leaseListExpired({ now: later + SECOND, limit: 10 });
      expect(expired.map((e) => e.id)).toEqual(claimedIds(old));
    });
  });
}
