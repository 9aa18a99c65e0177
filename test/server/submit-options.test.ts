/**
 * What a submit over HTTP takes beside the input (issue 13): a timeout of the task's own, shown
 * on the task and honoured by the worker; an input over the library's size limit is refused with
 * its own code, whatever the body limit; and `startServer` checks its options as the library does.
 */
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/index.ts';
import { startServer } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend, SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('a submit body with a timeout', () => {
    it('is kept with the task, shown on it, and times the task out', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false, pollMs: 20 });
      const body = {
        type: 'sleep',
        input: { ms: 20_000 },
        maxAttempts: 1,
        timeout: { hardMs: 150 },
      };
      const answer = await api.request('POST', '/api/v1/tasks', body);
      expect(answer.status, answer.text).toBe(201);
      const task = answer.json as Task;
      expect(task.timeout).toEqual({ hardMs: 150 });
      await api.mill.wait(task.id, { timeoutMs: 10_000 });
      const read = await api.request('GET', `/api/v1/tasks/${task.id}`);
      expect(read.json).toMatchObject({
        status: 'timed_out',
        timeout: { hardMs: 150 },
        error: { code: 'TASK_TIMED_OUT' },
      });
    });

    it('is taken by the typed route and the batch, and null is shown where none was given', async () => {
      const api = await start(apiTasks);
      const typed = await api.request('POST', '/api/v1/types/sleep/tasks', {
        input: { ms: 1 },
        timeout: { softMs: 10 },
      });
      expect((typed.json as Task).timeout).toEqual({ softMs: 10 });
      const batch = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [
          { type: 'sleep', input: { ms: 1 }, timeout: { softMs: 5, hardMs: 9 } },
          { type: 'sleep', input: { ms: 1 } },
        ],
      });
      const { tasks } = batch.json as { tasks: Task[] };
      expect(tasks.map((t) => t.timeout)).toEqual([{ softMs: 5, hardMs: 9 }, null]);
    });

    it('refuses a bad timeout, naming the field', async () => {
      const api = await start(apiTasks);
      for (const timeout of [{ hardMs: 0 }, { hard: 5 }, 300]) {
        const answer = await api.request('POST', '/api/v1/tasks', {
          type: 'sleep',
          input: { ms: 1 },
          timeout,
        });
        expect(answer.status).toBe(400);
        expect((answer.json as ErrorJson).error.code).toBe('REQUEST_INVALID');
        expect(answer.text).toContain('timeout');
      }
    });
  });
});

describe('the input size limit over HTTP', () => {
  const start = useApi(SQLITE);

  it('refuses an input over 1 MiB with TASK_INPUT_TOO_LARGE when the body limit lets it in', async () => {
    const api = await start(apiTasks, { bodyLimit: 4 * 1024 * 1024 });
    const tags = Array.from({ length: 10 }, () => 'x'.repeat(110_000));
    const answer = await api.request('POST', '/api/v1/tasks', {
      type: 'image.resize',
      input: { url: 'https://example.com/a.png', width: 1, tags },
    });
    expect(answer.status).toBe(413);
    const { error } = answer.json as ErrorJson;
    expect(error.code).toBe('TASK_INPUT_TOO_LARGE');
    expect(error.details).toMatchObject({ bytes: expect.any(Number), limit: 1_048_576 });
    expect((await api.mill.list()).tasks).toEqual([]);
  });
});

describe('startServer options', () => {
  const open = useMills(SQLITE);

  it('refuses a misspelt or mistyped option, naming its path', async () => {
    const mill = await open(apiTasks);
    const misspelt = await errorOf(startServer(mill, { prot: 0 } as never));
    expect(misspelt).toMatchObject({ code: 'OPTIONS_INVALID' });
    expect(misspelt.message).toContain('Unknown option "options.prot": did you mean "port"?');
    const nested = await errorOf(startServer(mill, { events: { keepAlive: 5 } } as never));
    expect(nested.message).toContain('"options.events.keepAlive": did you mean "keepAliveMs"?');
    const remote = await errorOf(startServer(mill, { remoteWorkers: { lease: 5 } } as never));
    expect(remote.message).toContain('"options.remoteWorkers.lease": did you mean "leaseMs"?');
    const mistyped = await errorOf(startServer(mill, { port: '3000' } as never));
    expect(mistyped.details['issues']).toEqual([
      { path: 'options.port', message: expect.stringMatching(/^expected a whole number/) },
    ]);
  });

  it('starts with every option it knows', async () => {
    const mill = await open(apiTasks);
    const worker = await mill.startWorker({ handleSignals: false });
    const server = await startServer(mill, {
      port: 0,
      host: '127.0.0.1',
      allowNoAuth: false,
      tokens: [],
      bodyLimit: 2048,
      logger: false,
      worker,
      staleAfterMs: 5_000,
      events: { window: 10, maxBufferedBytes: 65_536, keepAliveMs: 1_000 },
      remoteWorkers: { leaseMs: 1_000, heartbeatMs: 300, maxWaitMs: 100, pollMs: 50 },
    });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
