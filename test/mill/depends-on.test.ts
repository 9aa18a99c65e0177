/**
 * `submit(…, { dependsOn })` as a user runs it: a real worker on each store runs a task only once
 * the tasks it depends on completed, and ends it when one of them fails.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

forEachBackend((backend) => {
  const open = useMills(backend);
  const order: string[] = [];
  const step = defineTask({
    name: 'step',
    input: z.object({ name: z.string(), fail: z.boolean().default(false) }),
    retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
    run: async ({ name, fail }) => {
      order.push(name);
      if (fail) throw new Error(`${name} broke`);
      return name;
    },
  });

  describe('dependsOn', () => {
    it('runs a task after every task it depends on has completed', async () => {
      order.length = 0;
      const mill = await open([step]);
      const [a, b] = await mill.submitMany([
        { type: 'step', input: { name: 'a' } },
        { type: 'step', input: { name: 'b' } },
      ]);
      if (!a || !b) throw new Error('submitMany returned too few tasks');
      const c = await mill.submit('step', { name: 'c' }, { dependsOn: [a.id, b.id] });
      expect(c.status).toBe('pending');
      await mill.startWorker({ concurrency: 4, handleSignals: false });
      expect((await mill.wait(c.id, { timeoutMs: 10_000 })).status).toBe('completed');
      expect(order.indexOf('c')).toBe(2);
      expect((await mill.history(c.id)).map((h) => [h.from, h.to, h.reason])).toEqual([
        [null, 'pending', 'submitted'],
        ['pending', 'queued', 'dependencies completed'],
        ['queued', 'running', 'claimed'],
        ['running', 'completed', 'completed'],
      ]);
    });

    it('fails the tasks that depend on a failed one, down the chain, without running them', async () => {
      order.length = 0;
      const mill = await open([step]);
      // A task may depend on one earlier in the same batch.
      const [parent, child] = await mill.submitMany([
        { type: 'step', input: { name: 'parent', fail: true } },
        { type: 'step', input: { name: 'child' }, options: { dependsOn: [] } },
      ]);
      if (!parent || !child) throw new Error('submitMany returned too few tasks');
      const [dependent, grandchild] = await mill.submitMany([
        { type: 'step', input: { name: 'dependent' }, options: { dependsOn: [parent.id] } },
        { type: 'step', input: { name: 'grandchild' } },
      ]);
      if (!dependent || !grandchild) throw new Error('submitMany returned too few tasks');
      const last = await mill.submit('step', { name: 'last' }, { dependsOn: [dependent.id] });
      await mill.startWorker({ concurrency: 2, handleSignals: false });
      const ended = await mill.wait(last.id, { timeoutMs: 10_000 });
      for (const id of [dependent.id, last.id]) {
        expect(await mill.get(id)).toMatchObject({
          status: 'failed',
          attempt: 0,
          error: { code: 'DEPENDENCY_FAILED' },
        });
      }
      expect(ended.status).toBe('failed');
      expect(order).not.toContain('dependent');
      expect(order).not.toContain('last');
      expect((await mill.history(last.id)).at(-1)?.reason).toBe(
        `dependency ${parent.id} ended failed`,
      );
    });

    it('refuses an unknown or failed dependency, and a malformed list, storing nothing', async () => {
      const mill = await open([step]);
      const unknown = '0190a000-0000-7000-8000-00000000dead';
      const missing = await errorOf(mill.submit('step', { name: 'x' }, { dependsOn: [unknown] }));
      expect(missing).toMatchObject({
        code: 'DEPENDENCY_NOT_FOUND',
        details: { dependsOn: unknown },
      });
      const malformed = await errorOf(
        mill.submit('step', { name: 'x' }, { dependsOn: 'not-a-list' as unknown as string[] }),
      );
      expect(malformed.code).toBe('OPTIONS_INVALID');
      const later = await errorOf(
        mill.submitMany([
          { type: 'step', input: { name: 'x' }, options: { dependsOn: [unknown] } },
        ]),
      );
      expect(later.code).toBe('DEPENDENCY_NOT_FOUND');
      expect((await mill.list()).tasks).toEqual([]);
    });
  });
});
