import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, type Taskmill, TaskmillError } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

const signup = defineTask({
  name: 'signup',
  input: z.object({ email: z.email(), age: z.number().int().min(13) }),
  run: (input) => ({ welcomed: input.email }),
});
const ping = defineTask({
  name: 'ping',
  input: z.object({ n: z.number() }),
  priority: 'high',
  queue: 'fast',
  run: () => 'pong',
});

const note = defineTask({
  name: 'note',
  input: z.object({ text: z.string(), meta: z.record(z.string(), z.unknown()).optional() }),
  run: () => null,
});

const tasks = [signup, ping, note] as const;

async function errorOf(p: Promise<unknown>): Promise<TaskmillError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskmillError);
  return error as TaskmillError;
}

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('submit and read back', () => {
    let mill: Taskmill<typeof tasks>;

    beforeEach(async () => {
      mill = await open(tasks);
    });

    it('stores a valid task with the type defaults and returns it', async () => {
      const task = await mill.submit('ping', { n: 1 });
      expect(task).toMatchObject({
        type: 'ping',
        status: 'queued',
        priority: 'high',
        queue: 'fast',
        attempt: 0,
        maxAttempts: 3,
        input: { n: 1 },
      });
      const read = await mill.get(task.id);
      expect(read).toMatchObject({
        id: task.id,
        status: 'queued',
        priority: 'high',
        queue: 'fast',
        input: { n: 1 },
      });
      const history = await mill.history(task.id);
      expect(history.map((h) => [h.from, h.to])).toEqual([[null, 'queued']]);
    });

    it('applies submit options: priority, queue, delay, maxAttempts', async () => {
      const before = Date.now();
      const task = await mill.submit(
        'ping',
        { n: 2 },
        { priority: 'low', queue: 'other', delayMs: 60_000, maxAttempts: 7 },
      );
      expect(task).toMatchObject({ priority: 'low', queue: 'other', maxAttempts: 7 });
      expect(task.runAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    });

    it('names every bad field of the input and writes nothing', async () => {
      const error = await errorOf(mill.submit('signup', { email: 'not-an-email', age: 3 }));
      expect(error.code).toBe('TASK_INPUT_INVALID');
      expect(error.message).toContain('input.email');
      expect(error.message).toContain('input.age');
      expect((await mill.list()).tasks).toHaveLength(0);
    });

    it('refuses a NUL character or a __proto__ key in the input, naming where, and writes nothing', async () => {
      const nul = await errorOf(mill.submit('note', { text: 'a\u0000b' }));
      expect(nul.code).toBe('TASK_INPUT_INVALID');
      expect(nul.message).toMatch(/input\.text: contains a NUL/);
      const proto = await errorOf(
        mill.submit('note', { text: 'x', meta: JSON.parse('{"__proto__":{"admin":true}}') }),
      );
      expect(proto.message).toMatch(/input\.meta\.__proto__/);
      // PostgreSQL's JSON refuses a lone surrogate; both stores are spared it.
      const surrogate = await errorOf(mill.submit('note', { text: 'a\ud800' }));
      expect(surrogate.message).toMatch(/input\.text: contains a lone UTF-16 surrogate/);
      expect((await mill.list()).tasks).toHaveLength(0);
    });

    it('rejects an unknown task type with its own code', async () => {
      const error = await errorOf(mill.submit('nope' as 'ping', { n: 1 }));
      expect(error.code).toBe('TASK_TYPE_UNKNOWN');
      expect(error.message).toContain('signup');
    });

    it('rejects bad options with the field named', async () => {
      expect((await errorOf(mill.submit('ping', { n: 1 }, { priority: 9 as 0 }))).code).toBe(
        'OPTIONS_INVALID',
      );
      expect((await errorOf(mill.submit('ping', { n: 1 }, { delayMs: -5 }))).message).toContain(
        'delayMs',
      );
      expect((await errorOf(mill.submit('ping', { n: 1 }, { maxAttempts: 0 }))).message).toContain(
        'maxAttempts',
      );
      expect((await errorOf(mill.submit('ping', { n: 1 }, { queue: 'bad queue!' }))).code).toBe(
        'QUEUE_NAME_INVALID',
      );
      expect((await mill.list()).tasks).toHaveLength(0);
    });

    it('returns the first task for a repeated idempotency key and refuses a different input', async () => {
      const first = await mill.submit('ping', { n: 1 }, { idempotencyKey: 'k1' });
      const again = await mill.submit('ping', { n: 1 }, { idempotencyKey: 'k1' });
      expect(again.id).toBe(first.id);
      const error = await errorOf(mill.submit('ping', { n: 2 }, { idempotencyKey: 'k1' }));
      expect(error.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(error.details).toMatchObject({ existingId: first.id });
      expect((await mill.list()).tasks).toHaveLength(1);
    });

    it('submitMany is all or nothing', async () => {
      const error = await errorOf(
        mill.submitMany([
          { type: 'ping', input: { n: 1 } },
          { type: 'signup', input: { email: 'x', age: 20 } },
        ]),
      );
      expect(error.code).toBe('TASK_INPUT_INVALID');
      expect(error.details).toMatchObject({
        issues: [expect.objectContaining({ path: 'items[1].input.email' })],
      });
      expect((await mill.list()).tasks).toHaveLength(0);
      const made = await mill.submitMany(
        Array.from({ length: 300 }, (_, n) => ({ type: 'ping' as const, input: { n } })),
      );
      expect(made).toHaveLength(300);
      expect(new Set(made.map((t) => t.id)).size).toBe(300);
    });

    it('lists with filters and cursor pagination', async () => {
      await mill.submitMany(
        Array.from({ length: 12 }, (_, n) => ({ type: 'ping' as const, input: { n } })),
      );
      await mill.submit('signup', { email: 'a@b.co', age: 30 });
      expect((await mill.list({ type: 'signup' })).tasks).toHaveLength(1);
      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { tasks: { id: string }[]; nextCursor: string | null } = await mill.list({
          type: 'ping',
          limit: 5,
          cursor,
          order: 'asc',
        });
        for (const t of page.tasks) seen.add(t.id);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen.size).toBe(12);
      expect((await errorOf(mill.list({ limit: 0 }))).code).toBe('OPTIONS_INVALID');
    });

    it('unknown ids and illegal transitions are coded errors', async () => {
      expect((await errorOf(mill.get('00000000-0000-7000-8000-000000000000'))).code).toBe(
        'TASK_NOT_FOUND',
      );
      const task = await mill.submit('ping', { n: 1 });
      const cancelled = await mill.cancel(task.id);
      expect(cancelled.status).toBe('cancelled');
      const error = await errorOf(mill.cancel(task.id));
      expect(error.code).toBe('TASK_ILLEGAL_TRANSITION');
      expect(error.details).toMatchObject({ from: 'cancelled', to: 'cancelled' });
      const retried = await mill.retry(task.id);
      expect(retried).toMatchObject({ status: 'queued', attempt: 0 });
    });

    it('refuses calls after close', async () => {
      await mill.close();
      expect((await errorOf(mill.submit('ping', { n: 1 }))).code).toBe('MILL_CLOSED');
    });
  });
});
