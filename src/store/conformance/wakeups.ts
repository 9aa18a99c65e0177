import { describe, expect, it } from 'vitest';
import type { Store } from '../contract.ts';
import type { ConformanceContext, StoreHarness } from './context.ts';
import { HOUR, insertAll, newTask, T0 } from './factories.ts';

/** Counts a subscription's calls and lets a test await the next one, with a deadline. */
function recorder(store: Store) {
  let calls = 0;
  let waiting: { atLeast: number; resolve: () => void } | null = null;
  const unsubscribe = store.wakeupSubscribe?.({
    listener: () => {
      calls++;
      if (waiting !== null && calls >= waiting.atLeast) waiting.resolve();
    },
  });
  if (unsubscribe === undefined) throw new Error('listenNotify without wakeupSubscribe');
  return {
    get calls(): number {
      return calls;
    },
    unsubscribe,
    async until(atLeast: number, what: string, timeoutMs = 5_000): Promise<void> {
      if (calls >= atLeast) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          waiting = { atLeast, resolve };
          timer = setTimeout(
            () => reject(new Error(`no wake-up within ${timeoutMs} ms: ${what}`)),
            timeoutMs,
          );
        });
      } finally {
        clearTimeout(timer);
        waiting = null;
      }
    },
  };
}

/**
 * Wake-ups across processes (`capabilities.listenNotify`): a second store on the same database
 * stands for another process. Guarded by the capability, and by the harness being able to open
 * such a peer.
 */
export function wakeupTests(ctx: ConformanceContext, harness: StoreHarness): void {
  describe('wakeupSubscribe across stores', () => {
    it('is called once listening starts, after a ready insert by another store, and not after a rolled-back one', async (t) => {
      if (!ctx.store.capabilities.listenNotify || harness.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await harness.openPeer();
      const heard = recorder(ctx.store);
      try {
        // Signals sent before the subscription listened are lost, so it reports once it does.
        await heard.until(1, 'listening started');

        // A key holder that is not ready (no signal), then a call that conflicts with it and so
        // writes nothing, although it holds a task that would be ready now.
        await insertAll(peer, [
          newTask({ idempotencyKey: 'k', inputHash: 'h1', runAt: T0 + HOUR }),
        ]);
        const refused = await peer.taskInsert({
          now: T0,
          tasks: [newTask(), newTask({ idempotencyKey: 'k', inputHash: 'h2' })],
        });
        expect(refused.ok).toBe(false);
        // A signal that must not come can only be waited for: a short, bounded wait.
        await expect(heard.until(2, 'nothing', 300)).rejects.toThrow(/no wake-up/);
        expect(heard.calls).toBe(1);

        await insertAll(peer, [newTask()], T0);
        await heard.until(2, 'a ready task inserted by another store');
      } finally {
        heard.unsubscribe();
        await peer.close();
      }
    });

    it('is called after another store releases a task back to queued', async (t) => {
      if (!ctx.store.capabilities.listenNotify || harness.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await harness.openPeer();
      const task = newTask({ runAt: T0 + HOUR });
      await insertAll(peer, [task], T0);
      const [claimed] = await peer.taskClaim({
        now: T0 + HOUR,
        workerId: 'w',
        limit: 1,
        types: [task.type],
        queues: null,
        leaseMs: HOUR,
      });
      if (claimed === undefined) throw new Error('nothing was claimed');
      const heard = recorder(ctx.store);
      try {
        await heard.until(1, 'listening started');
        const [released] = await peer.taskSettle({
          now: T0 + HOUR,
          workerId: 'w',
          items: [
            {
              id: task.id,
              token: claimed.leaseToken,
              to: 'queued',
              outcome: 'released',
              reason: 'shutdown',
              refundAttempt: true,
            },
          ],
        });
        expect(released?.ok).toBe(true);
        await heard.until(2, 'a task released by another store');
      } finally {
        heard.unsubscribe();
        await peer.close();
      }
    });
  });
}
