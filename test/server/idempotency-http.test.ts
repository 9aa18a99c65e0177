/**
 * Idempotency keys over HTTP, as several clients use them at once: one task per key, the first
 * one returned to every later submit while it exists, a conflict for another input, and the key
 * free again once its task is deleted (docs/guides/guarantees.md#idempotent-submits).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

const charge = defineTask({
  name: 'charge',
  input: z.object({ cents: z.number().int() }),
  run: ({ cents }) => ({ charged: cents }),
});

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('idempotency keys over HTTP', () => {
    it('gives 50 concurrent submits with one key from 5 clients one task: 201 once, 200 after', async () => {
      const api = await start([charge]);
      const submit = () =>
        api.request('POST', '/api/v1/tasks', {
          type: 'charge',
          input: { cents: 500 },
          idempotencyKey: 'order-1001',
        });
      // Five clients, each with ten submits in flight at once.
      const clients = Array.from({ length: 5 }, () =>
        Promise.all(Array.from({ length: 10 }, submit)),
      );
      const answers = (await Promise.all(clients)).flat();
      const ids = new Set(answers.map((a) => (a.json as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
      expect((await api.mill.list({ type: 'charge' })).tasks).toHaveLength(1);
    });

    it('returns the finished task to a key reused after completion, and refuses another input', async () => {
      const api = await start([charge]);
      const body = { type: 'charge', input: { cents: 700 }, idempotencyKey: 'order-1002' };
      const first = await api.request('POST', '/api/v1/tasks', body);
      expect(first.status).toBe(201);
      const id = (first.json as { id: string }).id;
      const worker = await api.mill.startWorker({ handleSignals: false });
      await api.mill.wait(id, { timeoutMs: 10_000 });
      await worker.stop();
      const again = await api.request('POST', '/api/v1/tasks', body);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ id, status: 'completed', output: { charged: 700 } });
      const other = await api.request('POST', '/api/v1/tasks', { ...body, input: { cents: 1 } });
      expect(other.status).toBe(409);
      expect(other.json).toMatchObject({ error: { code: 'IDEMPOTENCY_CONFLICT' } });
      expect((await api.mill.list({ type: 'charge' })).tasks).toHaveLength(1);
    });

    it('frees a key once its task is deleted: the next submit makes a new task', async () => {
      const api = await start([charge]);
      const body = { type: 'charge', input: { cents: 900 }, idempotencyKey: 'order-1003' };
      const first = (await api.request('POST', '/api/v1/tasks', body)).json as { id: string };
      expect((await api.request('POST', `/api/v1/tasks/${first.id}/cancel`)).status).toBe(200);
      expect((await api.request('DELETE', `/api/v1/tasks/${first.id}`)).status).toBe(204);
      const next = await api.request('POST', '/api/v1/tasks', body);
      expect(next.status).toBe(201);
      expect((next.json as { id: string }).id).not.toBe(first.id);
    });
  });
});
