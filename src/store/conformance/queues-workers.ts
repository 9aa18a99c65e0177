import { describe, expect, it } from 'vitest';
import type { QueueInfo } from '../../core/queue.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { Store } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import { insertAll, insertTask, MINUTE, newTask, SECOND, T0 } from './factories.ts';

type WorkerInput = Parameters<Store['workerUpsert']>[0]['worker'];

function worker(overrides: Partial<WorkerInput> = {}): WorkerInput {
  return {
    id: 'worker-1',
    name: 'host-1:4242',
    host: 'host-1',
    pid: 4242,
    concurrency: 8,
    types: ['email.send', 'image.resize'],
    queues: ['default', 'images'],
    version: '0.1.0',
    load: 3,
    rssBytes: 150_000_000,
    state: 'online',
    ...overrides,
  };
}

async function queueNamed(store: Store, name: string): Promise<QueueInfo | undefined> {
  return (await store.queueList({ now: T0 })).find((q) => q.name === name);
}

export function queuesWorkersTests(ctx: ConformanceContext): void {
  describe('queueUpsert and queueList', () => {
    it('shows pause and concurrency settings', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'images', paused: true, concurrency: 3 });
      expect(await queueNamed(ctx.store, 'images')).toMatchObject({
        name: 'images',
        paused: true,
        concurrency: 3,
      });

      await ctx.store.queueUpsert({ now: T0 + SECOND, name: 'images', paused: false });
      expect(await queueNamed(ctx.store, 'images')).toMatchObject({
        paused: false,
        concurrency: 3,
      });

      await ctx.store.queueUpsert({ now: T0 + 2 * SECOND, name: 'images', concurrency: null });
      expect(await queueNamed(ctx.store, 'images')).toMatchObject({
        paused: false,
        concurrency: null,
      });
    });

    it('counts a queue’s tasks by status', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'q1', concurrency: 5 });
      const q1 = { queue: 'q1' };
      await insertTask(ctx.store, { status: 'completed', task: { ...q1, type: 'done' } });
      await insertTask(ctx.store, { status: 'running', task: { ...q1, type: 'busy' } });
      await insertAll(ctx.store, [
        newTask({ ...q1, type: 'waiting' }),
        newTask({ ...q1, type: 'waiting' }),
        newTask({ ...q1, status: 'paused' }),
        newTask({ queue: 'q2' }),
      ]);

      const info = await queueNamed(ctx.store, 'q1');
      if (info === undefined) throw new Error('queue q1 is not listed');
      const counts = Object.fromEntries(
        Object.entries(info.counts).filter(([, count]) => count !== 0),
      );
      expect(counts).toEqual({ completed: 1, running: 1, queued: 2, paused: 1 });
    });

    it('lists a queue that only has tasks as unpaused and unlimited', async () => {
      await insertAll(ctx.store, [newTask({ queue: 'implicit' })]);
      expect(await queueNamed(ctx.store, 'implicit')).toMatchObject({
        name: 'implicit',
        paused: false,
        concurrency: null,
        counts: { queued: 1 },
      });
    });
  });

  describe('workerUpsert, workerList and workerDelete', () => {
    it('registers a worker, online, with every field', async () => {
      await ctx.store.workerUpsert({ now: T0, worker: worker() });
      const listed = await ctx.store.workerList({ now: T0 + SECOND, offlineAfterMs: MINUTE });
      const expected: WorkerInfo = {
        ...worker(),
        unitType: null,
        endpoint: null,
        metadata: null,
        startedAt: new Date(T0),
        lastHeartbeatAt: new Date(T0),
        state: 'online',
      };
      expect(listed).toEqual([expected]);
    });

    it('records a heartbeat without moving startedAt', async () => {
      await ctx.store.workerUpsert({ now: T0, worker: worker() });
      await ctx.store.workerUpsert({
        now: T0 + 10 * SECOND,
        worker: worker({ load: 7, rssBytes: 200_000_000, queues: null }),
      });
      const [info] = await ctx.store.workerList({ now: T0 + 11 * SECOND, offlineAfterMs: MINUTE });
      expect(info).toMatchObject({
        startedAt: new Date(T0),
        lastHeartbeatAt: new Date(T0 + 10 * SECOND),
        load: 7,
        rssBytes: 200_000_000,
        queues: null,
      });
    });

    it('shows a worker silent for longer than offlineAfterMs as offline', async () => {
      await ctx.store.workerUpsert({ now: T0, worker: worker({ id: 'w-online' }) });
      await ctx.store.workerUpsert({
        now: T0,
        worker: worker({ id: 'w-draining', state: 'draining' }),
      });
      const stateAt = async (now: number) =>
        Object.fromEntries(
          (await ctx.store.workerList({ now, offlineAfterMs: MINUTE })).map((w) => [w.id, w.state]),
        );

      expect(await stateAt(T0 + MINUTE)).toEqual({
        'w-online': 'online',
        'w-draining': 'draining',
      });
      expect(await stateAt(T0 + MINUTE + 1)).toEqual({
        'w-online': 'offline',
        'w-draining': 'offline',
      });

      await ctx.store.workerUpsert({ now: T0 + 2 * MINUTE, worker: worker({ id: 'w-online' }) });
      expect((await stateAt(T0 + 2 * MINUTE + SECOND))['w-online']).toBe('online');
    });

    it('removes a worker, and ignores one it does not know', async () => {
      await ctx.store.workerUpsert({ now: T0, worker: worker({ id: 'w-1' }) });
      await ctx.store.workerUpsert({ now: T0, worker: worker({ id: 'w-2' }) });
      await ctx.store.workerDelete({ id: 'w-1' });
      await ctx.store.workerDelete({ id: 'w-unknown' });
      const listed = await ctx.store.workerList({ now: T0, offlineAfterMs: MINUTE });
      expect(listed.map((w) => w.id)).toEqual(['w-2']);
    });
  });
}
