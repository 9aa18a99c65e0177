import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { type Api, useApi } from '../helpers/server.ts';

type TasksApi = Api<typeof apiTasks>;

const good = { url: 'https://example.com/a.png', width: 320 };

async function taskCount(api: TasksApi): Promise<number> {
  return (await api.mill.list({ limit: 1000 })).tasks.length;
}

interface ErrorJson {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('submit', () => {
    it('answers 201 the first time, 200 with the same task after, 409 for another input', async () => {
      const api = await start(apiTasks);
      const body = { type: 'image.resize', input: good, idempotencyKey: 'k-1' };
      const first = await api.request('POST', '/api/v1/tasks', body);
      expect(first.status).toBe(201);
      const task = first.json as Task;
      expect(task).toMatchObject({ type: 'image.resize', status: 'queued', input: good });
      const again = await api.request('POST', '/api/v1/tasks', body);
      expect(again.status).toBe(200);
      expect((again.json as Task).id).toBe(task.id);
      const other = await api.request('POST', '/api/v1/tasks', {
        ...body,
        input: { ...good, width: 321 },
      });
      expect(other.status).toBe(409);
      expect((other.json as ErrorJson).error.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(await taskCount(api)).toBe(1);
    });

    it('takes a typed submit per task type, with priority, delay and queue', async () => {
      const api = await start(apiTasks);
      const res = await api.request('POST', '/api/v1/types/image.resize/tasks', {
        input: good,
        priority: 'high',
        delayMs: 60_000,
        queue: 'images',
      });
      expect(res.status).toBe(201);
      const task = res.json as Task & { runAt: string };
      expect(task).toMatchObject({ priority: 'high', queue: 'images' });
      expect(new Date(task.runAt).getTime()).toBeGreaterThan(Date.now() + 50_000);
    });

    it('takes dependsOn: pending until its dependency completes; 400 for an unknown one', async () => {
      const api = await start(apiTasks);
      const parent = (
        await api.request('POST', '/api/v1/tasks', { type: 'image.resize', input: good })
      ).json as Task;
      const child = await api.request('POST', '/api/v1/types/image.resize/tasks', {
        input: good,
        dependsOn: [parent.id],
      });
      expect(child.status).toBe(201);
      expect(child.json).toMatchObject({ status: 'pending' });
      const unknown = await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: good,
        dependsOn: ['0190a000-0000-7000-8000-00000000dead'],
      });
      expect(unknown.status).toBe(400);
      expect((unknown.json as ErrorJson).error.code).toBe('DEPENDENCY_NOT_FOUND');
      const malformed = await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: good,
        dependsOn: ['not-an-id'],
      });
      expect(malformed.status).toBe(400);
      expect(await taskCount(api)).toBe(2);
    });

    it('submits a batch in one transaction: all or none', async () => {
      const api = await start(apiTasks);
      const ok = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [
          { type: 'image.resize', input: good },
          { type: 'always.fail', input: {} },
        ],
      });
      expect(ok.status).toBe(201);
      expect((ok.json as { tasks: Task[]; created: boolean[] }).created).toEqual([true, true]);
      const bad = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [
          { type: 'image.resize', input: good },
          { type: 'image.resize', input: { ...good, width: -1 } },
        ],
      });
      expect(bad.status).toBe(400);
      expect((bad.json as ErrorJson).error.message).toMatch(/width/);
      expect(await taskCount(api)).toBe(2);
    });
  });

  describe('bad input: a 4xx that names the field, and nothing written', () => {
    const cases: [string, unknown, Record<string, string>, number, string, RegExp][] = [
      [
        'malformed JSON',
        '{"type": "image.resize", "input": {',
        {},
        400,
        'REQUEST_MALFORMED',
        /position/,
      ],
      [
        'a wrong content type',
        'type=image.resize',
        { 'content-type': 'text/plain' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /application\/json/,
      ],
      [
        'a wrong type for a field',
        { type: 'image.resize', input: { ...good, width: 'wide' } },
        {},
        400,
        'TASK_INPUT_INVALID',
        /input\.width/,
      ],
      [
        'an unknown field',
        { type: 'image.resize', input: good, colour: 'red' },
        {},
        400,
        'REQUEST_INVALID',
        /colour/,
      ],
      [
        'a __proto__ key',
        '{"type":"image.resize","input":{"url":"https://e.com/a","width":1,"__proto__":{"admin":true}}}',
        {},
        400,
        'REQUEST_INVALID',
        /input\.__proto__/,
      ],
      [
        'a NUL byte',
        { type: 'image.resize', input: { ...good, url: 'https://e.com/\u0000' } },
        {},
        400,
        'REQUEST_INVALID',
        /input\.url.*NUL/,
      ],
      [
        'a huge array',
        {
          type: 'image.resize',
          input: { ...good, tags: Array.from({ length: 50_000 }, () => 'x') },
        },
        {},
        400,
        'TASK_INPUT_INVALID',
        /input\.tags/,
      ],
      [
        'a negative priority',
        { type: 'image.resize', input: good, priority: -1 },
        {},
        400,
        'REQUEST_INVALID',
        /priority/,
      ],
      [
        'a huge priority',
        { type: 'image.resize', input: good, priority: 1e12 },
        {},
        400,
        'REQUEST_INVALID',
        /priority/,
      ],
      [
        'an unknown task type',
        { type: 'video.encode', input: {} },
        {},
        400,
        'TASK_TYPE_UNKNOWN',
        /video\.encode/,
      ],
      [
        'a batch over 1,000',
        { tasks: Array.from({ length: 1001 }, () => ({ type: 'always.fail', input: {} })) },
        {},
        400,
        'REQUEST_INVALID',
        /tasks/,
      ],
    ];

    it.each(cases)('%s', async (_what, body, headers, status, code, names) => {
      const api = await start(apiTasks);
      const path = (body as { tasks?: unknown }).tasks ? '/api/v1/tasks/batch' : '/api/v1/tasks';
      const res = await api.request('POST', path, body, headers);
      expect(res.status).toBe(status);
      const error = (res.json as ErrorJson).error;
      expect(error.code).toBe(code);
      expect(`${error.message} ${JSON.stringify(error.details ?? {})}`).toMatch(names);
      expect(await taskCount(api)).toBe(0);
    });

    it("names a single submit's bad fields as its body does, not as a batch's items", async () => {
      const api = await start(apiTasks);
      const res = await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: { ...good, width: 'wide' },
      });
      const error = (res.json as ErrorJson).error;
      expect([res.status, error.code]).toEqual([400, 'TASK_INPUT_INVALID']);
      expect(error.details?.issues?.map((i) => i.path)).toEqual(['input.width']);
      expect(error.message).not.toContain('items[');
    });

    it("names a batch item's bad fields as the body does: tasks.N, options beside the input", async () => {
      const api = await start(apiTasks);
      const res = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [
          { type: 'image.resize', input: good },
          { type: 'image.resize', input: { ...good, width: 'wide' } },
        ],
      });
      const error = (res.json as ErrorJson).error;
      expect([res.status, error.code]).toEqual([400, 'TASK_INPUT_INVALID']);
      expect(error.details?.issues?.map((i) => i.path)).toEqual(['tasks.1.input.width']);
      const queue = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [{ type: 'image.resize', input: good, queue: 'no spaces' }],
      });
      const refused = (queue.json as ErrorJson).error;
      expect(queue.status).toBe(400);
      expect(refused.details?.issues?.map((i) => i.path)).toEqual(['tasks.0.queue']);
      const single = await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: good,
        queue: 'no spaces',
      });
      expect((single.json as ErrorJson).error.details?.issues?.map((i) => i.path)).toEqual([
        'queue',
      ]);
      expect(await taskCount(api)).toBe(0);
    });

    it('a body over the size limit gets 413', async () => {
      const api = await start(apiTasks, { bodyLimit: 10_000 });
      const res = await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: { ...good, url: `https://e.com/${'a'.repeat(20_000)}` },
      });
      expect(res.status).toBe(413);
      expect((res.json as ErrorJson).error.code).toBe('REQUEST_TOO_LARGE');
      expect(await taskCount(api)).toBe(0);
    });

    it('an unknown id gets 404, a malformed one 400, an unknown route 404', async () => {
      const api = await start(apiTasks);
      const missing = await api.request(
        'GET',
        '/api/v1/tasks/01a2126e-ba75-7080-bf0b-fcb63fe5316f',
      );
      expect([missing.status, (missing.json as ErrorJson).error.code]).toEqual([
        404,
        'TASK_NOT_FOUND',
      ]);
      const malformed = await api.request('GET', '/api/v1/tasks/not-an-id');
      expect([malformed.status, (malformed.json as ErrorJson).error.code]).toEqual([
        400,
        'REQUEST_INVALID',
      ]);
      const route = await api.request('GET', '/api/v1/nowhere');
      expect([route.status, (route.json as ErrorJson).error.code]).toEqual([
        404,
        'ROUTE_NOT_FOUND',
      ]);
    });

    it('an illegal transition gets 409', async () => {
      const api = await start(apiTasks);
      const task = (await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} }))
        .json as Task;
      expect((await api.request('POST', `/api/v1/tasks/${task.id}/cancel`)).status).toBe(200);
      const again = await api.request('POST', `/api/v1/tasks/${task.id}/cancel`, {});
      expect([again.status, (again.json as ErrorJson).error.code]).toEqual([
        409,
        'TASK_ILLEGAL_TRANSITION',
      ]);
    });
  });

  describe('reading tasks', () => {
    it('lists with filters and a cursor, and shows history, logs and artifacts of a run', async () => {
      const api = await start(apiTasks);
      for (let i = 0; i < 3; i++) {
        await api.request('POST', '/api/v1/tasks', {
          type: 'image.resize',
          input: { ...good, width: i + 1 },
        });
      }
      const failing = (
        await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} })
      ).json as Task;
      const page1 = (await api.request('GET', '/api/v1/tasks?type=image.resize&limit=2')).json as {
        tasks: Task[];
        nextCursor: string;
      };
      expect(page1.tasks).toHaveLength(2);
      const page2 = (
        await api.request(
          'GET',
          `/api/v1/tasks?type=image.resize&limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
        )
      ).json as { tasks: Task[]; nextCursor: string | null };
      expect(page2.tasks).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();

      await api.mill.startWorker({ handleSignals: false });
      const id = page2.tasks[0]?.id ?? '';
      const done = await api.mill.wait(id);
      expect(done.status).toBe('completed');
      expect((await api.mill.wait(failing.id)).status).toBe('failed');
      const failed = (await api.request('GET', '/api/v1/tasks?status=failed')).json as {
        tasks: Task[];
      };
      expect(failed.tasks.map((t) => t.id)).toEqual([failing.id]);
      const history = (await api.request('GET', `/api/v1/tasks/${id}/history`)).json as {
        to: string;
      }[];
      expect(history.map((h) => h.to)).toEqual(['queued', 'running', 'completed']);
      const logs = (await api.request('GET', `/api/v1/tasks/${id}/logs`)).json as {
        id: number;
        message: string;
      }[];
      expect(logs.map((l) => l.message)).toContain(`resizing ${good.url}`);
      const after = (await api.request('GET', `/api/v1/tasks/${id}/logs?after=${logs.at(-1)?.id}`))
        .json;
      expect(after).toEqual([]);
      const artifacts = (await api.request('GET', `/api/v1/tasks/${id}/artifacts`)).json as {
        name: string;
        sha256: string;
      }[];
      expect(artifacts.map((a) => a.name)).toEqual(['out.txt']);
      expect(artifacts[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
      const artifactId = (artifacts[0] as unknown as { id: string }).id;
      const download = await api.request('GET', `/api/v1/tasks/${id}/artifacts/${artifactId}`);
      expect(download.status).toBe(200);
      const width = (page2.tasks[0]?.input as { width: number } | undefined)?.width;
      expect(download.text).toBe(`width ${width}`);
      expect(download.headers.get('etag')).toBe(`"${artifacts[0]?.sha256}"`);
      const digest = createHash('sha256').update(download.text).digest('base64');
      expect(download.headers.get('repr-digest')).toBe(`sha-256=:${digest}:`);
      const other = await api.request('GET', `/api/v1/tasks/${failing.id}/artifacts/${artifactId}`);
      expect([other.status, (other.json as ErrorJson).error.code]).toEqual([
        404,
        'ARTIFACT_NOT_FOUND',
      ]);
    });

    it('retries a failed task', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false });
      const task = (await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} }))
        .json as Task;
      expect((await api.mill.wait(task.id)).status).toBe('failed');
      const retried = await api.request('POST', `/api/v1/tasks/${task.id}/retry`, {
        maxAttempts: 2,
      });
      expect(retried.status).toBe(200);
      expect((retried.json as Task).maxAttempts).toBe(2);
    });
  });

  describe('search and time range', () => {
    it('finds tasks by text in their input and by when they were created', async () => {
      const api = await start(apiTasks);
      const cat = (
        await api.request('POST', '/api/v1/tasks', {
          type: 'image.resize',
          input: { ...good, url: 'https://cdn.test/Cat.png' },
        })
      ).json as Task;
      await api.request('POST', '/api/v1/tasks', { type: 'image.resize', input: good });
      const found = (await api.request('GET', '/api/v1/tasks?q=cat.PNG')).json as { tasks: Task[] };
      expect(found.tasks.map((t) => t.id)).toEqual([cat.id]);
      const future = new Date(Date.now() + 60_000).toISOString();
      const none = (await api.request('GET', `/api/v1/tasks?createdFrom=${future}`)).json as {
        tasks: Task[];
      };
      expect(none.tasks).toEqual([]);
      const past = new Date(Date.now() - 60_000).toISOString();
      const both = (
        await api.request('GET', `/api/v1/tasks?createdFrom=${past}&createdTo=${future}`)
      ).json as { tasks: Task[] };
      expect(both.tasks).toHaveLength(2);
      const bad = await api.request('GET', '/api/v1/tasks?createdFrom=yesterday');
      expect([bad.status, (bad.json as ErrorJson).error.code]).toEqual([400, 'REQUEST_INVALID']);
    });
  });

  describe('priority and deletion', () => {
    it('changes the priority of a queued task, and refuses once it has finished', async () => {
      const api = await start(apiTasks);
      const task = (await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} }))
        .json as Task;
      const changed = await api.request('PATCH', `/api/v1/tasks/${task.id}`, {
        priority: 'critical',
      });
      expect([changed.status, (changed.json as Task).priority]).toEqual([200, 'critical']);
      const bad = await api.request('PATCH', `/api/v1/tasks/${task.id}`, { priority: 9 });
      expect(bad.status).toBe(400);
      await api.mill.startWorker({ handleSignals: false });
      await api.mill.wait(task.id);
      const late = await api.request('PATCH', `/api/v1/tasks/${task.id}`, { priority: 'low' });
      expect([late.status, (late.json as ErrorJson).error.code]).toEqual([
        409,
        'TASK_ILLEGAL_TRANSITION',
      ]);
    });

    it('deletes a finished task with its artifact files, and refuses one that waits', async () => {
      const api = await start(apiTasks);
      const waiting = (
        await api.request('POST', '/api/v1/tasks', {
          type: 'sleep',
          input: { ms: 1 },
          delayMs: 60_000,
        })
      ).json as Task;
      const refused = await api.request('DELETE', `/api/v1/tasks/${waiting.id}`);
      expect([refused.status, (refused.json as ErrorJson).error.code]).toEqual([
        409,
        'TASK_ILLEGAL_TRANSITION',
      ]);
      await api.mill.startWorker({ handleSignals: false });
      const done = (
        await api.request('POST', '/api/v1/tasks', { type: 'image.resize', input: good })
      ).json as Task;
      await api.mill.wait(done.id);
      const [artifact] = await api.mill.artifacts(done.id);
      const file = `${api.mill.dataDir}/${artifact?.path}`;
      expect(existsSync(file)).toBe(true);
      const deleted = await api.request('DELETE', `/api/v1/tasks/${done.id}`);
      expect(deleted.status).toBe(204);
      expect(existsSync(file)).toBe(false);
      expect((await api.request('GET', `/api/v1/tasks/${done.id}`)).status).toBe(404);
      expect((await api.request('DELETE', `/api/v1/tasks/${done.id}`)).status).toBe(404);
    });
  });

  describe('retry by filter', () => {
    it('retries every failed task of a type, and only those', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false });
      const submit = async (type: string, input: unknown) =>
        ((await api.request('POST', '/api/v1/tasks', { type, input })).json as Task).id;
      const failing = [await submit('always.fail', {}), await submit('always.fail', {})];
      const fine = await submit('image.resize', good);
      for (const id of [...failing, fine]) await api.mill.wait(id);
      await api.mill.pauseQueue('default');
      const res = await api.request('POST', '/api/v1/tasks/retry', {
        type: ['always.fail'],
        maxAttempts: 2,
      });
      expect(res.status).toBe(200);
      const body = res.json as { retried: string[]; skipped: string[] };
      expect([...body.retried].sort()).toEqual([...failing].sort());
      for (const id of failing) {
        expect(await api.mill.get(id)).toMatchObject({ status: 'queued', maxAttempts: 2 });
      }
      expect((await api.mill.get(fine)).status).toBe('completed');
      const bad = await api.request('POST', '/api/v1/tasks/retry', { status: ['completed'] });
      expect(bad.status).toBe(400);
    });
  });

  describe('task types, OpenAPI and health', () => {
    it('lists the task types with their JSON Schemas', async () => {
      const api = await start(apiTasks);
      const types = (await api.request('GET', '/api/v1/task-types')).json as {
        name: string;
        submitPath: string;
        inputSchema: { properties: Record<string, unknown> };
      }[];
      expect(types.map((t) => t.name)).toEqual(['image.resize', 'always.fail', 'sleep', 'chatty']);
      expect(Object.keys(types[0]?.inputSchema.properties ?? {})).toEqual(['url', 'width', 'tags']);
      expect(types[0]?.submitPath).toBe('/api/v1/types/image.resize/tasks');
    });

    it("publishes an OpenAPI 3.1 document with each type's own submit body", async () => {
      const api = await start(apiTasks);
      const doc = (await api.request('GET', '/api/openapi.json')).json as {
        openapi: string;
        paths: Record<
          string,
          Record<
            string,
            {
              operationId: string;
              requestBody?: {
                content: Record<
                  string,
                  {
                    schema: {
                      properties: Record<string, { properties?: Record<string, unknown> }>;
                    };
                  }
                >;
              };
            }
          >
        >;
      };
      expect(doc.openapi).toBe('3.1.0');
      const typed = doc.paths['/api/v1/types/image.resize/tasks']?.['post'];
      expect(typed?.operationId).toBe('submit_image_resize');
      const input = typed?.requestBody?.content['application/json']?.schema.properties['input'];
      expect(Object.keys(input?.properties ?? {})).toEqual(['url', 'width', 'tags']);
      const docs = await api.request('GET', '/docs/');
      expect(docs.status).toBe(200);
      expect(docs.text).toMatch(/swagger/i);
    });

    it('answers /health, and /health/ready once the database answers', async () => {
      const api = await start(apiTasks);
      expect((await api.request('GET', '/health')).json).toEqual({ status: 'ok', checks: {} });
      const ready = await api.request('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    });
  });
});
