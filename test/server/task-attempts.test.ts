/** `GET /api/v1/tasks/{id}/attempts` and `client.attempts`: every attempt with its error and
 * stack, oldest first, over a real socket on SQLite. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, defineTask } from '../../src/index.ts';
import { SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

/** Fails its first two attempts, each with its own message, then completes. */
const flaky = defineTask({
  name: 'flaky',
  input: z.object({}),
  retry: { kind: 'fixed', delayMs: 1, maxAttempts: 3 },
  run: (_input, ctx) => {
    if (ctx.attempt < 3) throw new Error(`boom on attempt ${ctx.attempt}`);
    return { done: ctx.attempt };
  },
});
const tasks = [flaky] as const;

interface AttemptBody {
  id: string;
  attempt: number;
  workerId: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  error: { code: string; message: string; stack: string | null; retryable: boolean } | null;
  metrics: Record<string, number> | null;
}

describe("a task's attempts", () => {
  const start = useApi(SQLITE);

  it('shows a task that failed twice then completed as three attempts, with both errors and their stacks', async () => {
    const api = await start(tasks);
    const task = await api.mill.submit('flaky', {});
    const worker = await api.mill.startWorker({ handleSignals: false });
    expect((await api.mill.wait(task.id, { timeoutMs: 10_000 })).status).toBe('completed');

    const res = await api.request('GET', `/api/v1/tasks/${task.id}/attempts`);
    expect(res.status).toBe(200);
    const { attempts } = res.json as { attempts: AttemptBody[] };
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    for (const [i, a] of attempts.slice(0, 2).entries()) {
      expect(a.error).toMatchObject({ message: `boom on attempt ${i + 1}`, retryable: true });
      expect(a.error?.stack).toContain(`boom on attempt ${i + 1}`);
      expect(a.error?.stack).toMatch(/task-attempts\.test\.ts/);
    }
    expect(attempts[2]?.error).toBeNull();
    for (const a of attempts) {
      expect(a.workerId).toBe(worker.id);
      expect(Date.parse(a.startedAt)).toBeLessThanOrEqual(Date.parse(a.finishedAt ?? ''));
      expect(a.metrics?.['durationMs']).toBeGreaterThanOrEqual(0);
      expect(a).not.toHaveProperty('taskId');
    }
    // Oldest first, and each its own execution.
    expect(new Set(attempts.map((a) => a.id)).size).toBe(3);

    // The client gives the library's shapes: what mill.executions gives, dates as Date.
    const client = createClient({ url: api.server.url });
    expect(await client.attempts(task.id)).toEqual(await api.mill.executions(task.id));
  });

  it('lists no attempts for a task that has not run, 404 for an unknown task, 400 for a bad id', async () => {
    const api = await start(tasks);
    const task = await api.mill.submit('flaky', {});
    const waiting = await api.request('GET', `/api/v1/tasks/${task.id}/attempts`);
    expect(waiting.json).toEqual({ attempts: [] });

    const unknown = await api.request(
      'GET',
      '/api/v1/tasks/01a2126e-ba75-7080-bf0b-fcb63fe5316f/attempts',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'TASK_NOT_FOUND' } });
    expect((await api.request('GET', '/api/v1/tasks/nope/attempts')).status).toBe(400);

    const client = createClient({ url: api.server.url });
    expect((await errorOf(client.attempts('01a2126e-ba75-7080-bf0b-fcb63fe5316f'))).code).toBe(
      'TASK_NOT_FOUND',
    );
  });
});
