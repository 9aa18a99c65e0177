/**
 * `/api/v1/pipelines`, `/api/v1/pipeline-runs` and `/api/v1/pipeline-batches` over a real socket,
 * on SQLite and PostgreSQL, with a worker in the server's process: start a run and read it to
 * its end, a batch of runs, its graph, cancel and resume with their refusals, and bad input
 * refused naming the field with nothing started.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PipelineBatch, PipelineInfo, PipelineRun, Task } from '../../src/index.ts';
import { createClient, definePipeline, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { gate } from '../helpers/mill.ts';
import { type Api, useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

type ErrorJson = {
  error: {
    code: string;
    message: string;
    details?: { issues?: { path: string; message: string }[] };
  };
};
type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
type RunJson = Json<Omit<PipelineRun, 'steps'>> & { steps: Json<PipelineRun['steps'][number]>[] };

let held = gate();
const add = defineTask({
  name: 'add',
  input: z.object({ values: z.array(z.number()) }),
  retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
  run: async ({ values }) => values.reduce((a, b) => a + b, 0),
});
const hold = defineTask({
  name: 'hold',
  input: z.object({}),
  retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
  run: async (_, ctx) => {
    await Promise.race([
      held.promise,
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
      ),
    ]);
    return 'held';
  },
});
/** a → (b, c: c a map over [1, 2, 3]) → d */
const sums = definePipeline({
  name: 'sums',
  description: 'Adds things up',
  input: z.object({ n: z.number() }),
  steps: {
    a: { task: add, input: (c) => ({ values: [c.input.n] }) },
    b: { task: add, dependsOn: ['a'], input: (c) => ({ values: [c.outputs['a'] as number, 1] }) },
    c: {
      task: add,
      dependsOn: ['a'],
      map: { over: () => [1, 2, 3], concurrency: 2 },
      input: (c) => ({ values: [c.outputs['a'] as number, c.item as number] }),
    },
    d: {
      task: add,
      dependsOn: ['b', 'c'],
      input: (c) => ({ values: [c.outputs['b'] as number, ...(c.outputs['c'] as number[])] }),
    },
  },
});
const holding = definePipeline({
  name: 'holding',
  input: z.object({}),
  steps: {
    first: { task: hold },
    after: { task: add, dependsOn: ['first'], input: () => ({ values: [1] }) },
  },
});
const pipelines = [sums, holding];

async function refused(api: Api<readonly []>, method: string, path: string, body?: unknown) {
  const answer = await api.request(method, path, body);
  const { error } = answer.json as ErrorJson;
  return {
    status: answer.status,
    code: error.code,
    paths: error.details?.issues?.map((i) => i.path),
    messages: error.details?.issues?.map((i) => i.message),
  };
}

/** The run once its step `first` has started in the worker. */
async function startHolding(api: Api<readonly []>): Promise<RunJson> {
  held = gate();
  const started = new Set<string>();
  const off = api.mill.on('pipeline.step.started', (e) => started.add(e.runId));
  const answer = await api.request('POST', '/api/v1/pipelines/holding/runs', { input: {} });
  expect(answer.status).toBe(201);
  const run = answer.json as RunJson;
  await waitFor('the first step to start', () => started.has(run.id));
  off();
  return run;
}

forEachBackend((backend) => {
  const start = useApi(backend);
  const open = async () => {
    const api = await start([] as const, {}, { pipelines });
    await api.mill.startWorker({ concurrency: 4, handleSignals: false, heartbeatMs: 50 });
    return api;
  };

  describe('pipelines over HTTP', () => {
    it('lists the registered pipelines with their steps in order', async () => {
      const api = await open();
      const answer = await api.request('GET', '/api/v1/pipelines');
      expect(answer.status).toBe(200);
      const list = answer.json as PipelineInfo[];
      expect(list).toEqual(await api.mill.pipelines.definitions());
      expect(list.find((p) => p.name === 'sums')).toEqual({
        name: 'sums',
        description: 'Adds things up',
        mode: 'parallel',
        onFailure: 'failFast',
        steps: [
          { name: 'a', task: 'add', dependsOn: [], map: false, concurrency: null },
          { name: 'b', task: 'add', dependsOn: ['a'], map: false, concurrency: null },
          { name: 'c', task: 'add', dependsOn: ['a'], map: true, concurrency: 2 },
          { name: 'd', task: 'add', dependsOn: ['b', 'c'], map: false, concurrency: null },
        ],
      });
    });

    it('starts a run, which the worker takes to its end: read it, its graph and its tasks', async () => {
      const api = await open();
      const answer = await api.request('POST', '/api/v1/pipelines/sums/runs', { input: { n: 10 } });
      expect(answer.status).toBe(201);
      const started = answer.json as RunJson;
      expect(started).toMatchObject({
        pipeline: 'sums',
        status: 'running',
        input: { n: 10 },
        mode: 'parallel',
        onFailure: 'failFast',
        output: null,
        batch: null,
        endedAt: null,
        progress: { total: 4 },
      });
      expect(started.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(started.steps.map((s) => s.name)).toEqual(['a', 'b', 'c', 'd']);

      await api.mill.pipelines.wait(started.id, { timeoutMs: 10_000 });
      const read = await api.request('GET', `/api/v1/pipeline-runs/${started.id}`);
      expect(read.status).toBe(200);
      const run = read.json as RunJson;
      // a = 10, b = 11, c = [11, 12, 13], d = 11 + 36
      expect(run).toMatchObject({
        status: 'completed',
        output: { d: 47 },
        error: null,
        progress: { done: 4, total: 4 },
        items: { done: 3, total: 3 },
        cancelRequested: false,
      });
      expect(run.endedAt).toMatch(/Z$/);
      expect(run.durationMs).toBeGreaterThanOrEqual(0);
      const c = run.steps.find((s) => s.name === 'c');
      expect(c).toMatchObject({
        task: 'add',
        status: 'completed',
        progress: { done: 3, total: 3 },
        items: { completed: 3 },
        output: [11, 12, 13],
        cached: false,
      });
      expect(c?.finishedAt).toMatch(/Z$/);
      const d = run.steps.find((s) => s.name === 'd');
      expect(d?.metrics?.durationMs).toBeGreaterThanOrEqual(0);
      // The same run the library reads, its times as ISO strings.
      expect(run).toEqual(JSON.parse(JSON.stringify(await api.mill.pipelines.get(started.id))));

      const task = (await api.request('GET', `/api/v1/tasks/${d?.taskId}`)).json as Json<Task>;
      expect(task.pipeline).toEqual({ runId: started.id, step: 'd', item: null });
      expect(task.input).toEqual({ values: [11, 11, 12, 13] });
      // The run's tasks by the list's run and step filters: the step's task and its 3 items.
      const list = async (query: string) =>
        (
          (await api.request('GET', `/api/v1/tasks?run=${started.id}${query}&total=true`)).json as {
            tasks: Json<Task>[];
            total: number;
          }
        ).tasks.map((t) => t.pipeline?.item ?? null);
      expect((await list('&step=c')).sort()).toEqual([0, 1, 2, null]);
      expect(await list('')).toHaveLength(4 + 3);
      expect(await list('&step=zz')).toEqual([]);
      const client = createClient({ url: api.server.url });
      const byClient = await client.list({ runId: started.id, step: 'c', total: true });
      expect(byClient.total).toBe(4);
      expect(byClient.tasks.every((t) => t.pipeline?.step === 'c')).toBe(true);
      // A second run: its tasks are not this run's, though a step filter alone finds both.
      const otherRun = await api.request('POST', '/api/v1/pipelines/sums/runs', {
        input: { n: 1 },
      });
      expect(otherRun.status).toBe(201);
      expect(await list('')).toHaveLength(4 + 3);
      const stepA = (await api.request('GET', '/api/v1/tasks?step=a')).json as {
        tasks: Json<Task>[];
      };
      expect(stepA.tasks.map((t) => t.pipeline?.runId).sort()).toEqual(
        [started.id, (otherRun.json as RunJson).id].sort(),
      );
      const malformed = await refused(api, 'GET', '/api/v1/tasks?run=not-a-run-id');
      expect([malformed.status, malformed.code, malformed.paths]).toEqual([
        400,
        'REQUEST_INVALID',
        ['querystring.run'],
      ]);

      const graph = await api.request('GET', `/api/v1/pipeline-runs/${started.id}/graph`);
      expect(graph.status).toBe(200);
      expect(graph.json).toEqual(await api.mill.pipelines.graph(started.id));
      expect(graph.json).toMatchObject({
        runId: started.id,
        pipeline: 'sums',
        status: 'completed',
        nodes: expect.arrayContaining([
          { id: 'c', task: 'add', map: true, status: 'completed', progress: { done: 3, total: 3 } },
        ]),
        edges: expect.arrayContaining([
          { from: 'a', to: 'b' },
          { from: 'b', to: 'd' },
          { from: 'c', to: 'd' },
        ]),
      });
    });

    it('starts a batch with inputs: completed of total and the outputs in input order', async () => {
      const api = await open();
      const answer = await api.request('POST', '/api/v1/pipelines/sums/runs', {
        inputs: [{ n: 1 }, { n: 2 }, { n: 3 }],
      });
      expect(answer.status).toBe(201);
      const batch = answer.json as PipelineBatch;
      expect(batch).toMatchObject({ pipeline: 'sums', total: 3 });
      expect(batch.runs).toHaveLength(3);

      await api.mill.pipelines.waitBatch(batch.id, { timeoutMs: 10_000 });
      const read = await api.request('GET', `/api/v1/pipeline-batches/${batch.id}`);
      expect(read.status).toBe(200);
      // n → d = (n + 1) + 3n + 6
      expect(read.json).toEqual({
        id: batch.id,
        pipeline: 'sums',
        total: 3,
        completed: 3,
        failed: 0,
        cancelled: 0,
        running: 0,
        runs: batch.runs.map((r, i) => ({
          id: r.id,
          status: 'completed',
          output: { d: 4 * (i + 1) + 7 },
        })),
      });
      const first = (await api.request('GET', `/api/v1/pipeline-runs/${batch.runs[0]?.id}`))
        .json as RunJson;
      expect(first.batch).toEqual({ id: batch.id, index: 0 });
    });

    it('lists runs newest first, by pipeline and status, a page at a time', async () => {
      const api = await open();
      const batch = (
        await api.request('POST', '/api/v1/pipelines/sums/runs', {
          inputs: [{ n: 1 }, { n: 2 }, { n: 3 }],
        })
      ).json as PipelineBatch;
      await api.mill.pipelines.waitBatch(batch.id, { timeoutMs: 10_000 });
      const other = await startHolding(api);
      const ids = batch.runs.map((r) => r.id);

      const page = (await api.request('GET', '/api/v1/pipeline-runs?pipeline=sums&limit=2'))
        .json as { runs: RunJson[]; nextCursor: string | null };
      expect(page.runs.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      expect(page.runs[0]?.steps).toHaveLength(4);
      const rest = (
        await api.request('GET', `/api/v1/pipeline-runs?pipeline=sums&cursor=${page.nextCursor}`)
      ).json as { runs: RunJson[]; nextCursor: string | null };
      expect(rest).toMatchObject({ runs: [{ id: ids[0] }], nextCursor: null });

      const running = (await api.request('GET', '/api/v1/pipeline-runs?status=running')).json as {
        runs: RunJson[];
      };
      expect(running.runs.map((r) => r.id)).toEqual([other.id]);
      held.open();
      expect(await refused(api, 'GET', '/api/v1/pipeline-runs?status=ended')).toMatchObject({
        status: 400,
        code: 'REQUEST_INVALID',
        paths: ['querystring.status'],
      });
    });

    it('cancels a running run, refuses what its status does not allow, and resumes it', async () => {
      const api = await open();
      const run = await startHolding(api);
      expect(await refused(api, 'POST', `/api/v1/pipeline-runs/${run.id}/resume`)).toMatchObject({
        status: 409,
        code: 'PIPELINE_RUN_STATE',
      });
      const cancelling = await api.request('POST', `/api/v1/pipeline-runs/${run.id}/cancel`, {
        reason: 'not today',
      });
      expect(cancelling.status).toBe(200);
      expect(cancelling.json).toMatchObject({ id: run.id, cancelRequested: true });
      const ended = await api.mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(ended.status).toBe('cancelled');
      expect(await refused(api, 'POST', `/api/v1/pipeline-runs/${run.id}/cancel`)).toMatchObject({
        status: 409,
        code: 'PIPELINE_RUN_STATE',
      });

      held.open();
      const resumed = await api.request('POST', `/api/v1/pipeline-runs/${run.id}/resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.json).toMatchObject({ id: run.id, status: 'running' });
      const done = await api.mill.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.status).toBe('completed');
      expect(done.output).toEqual({ after: 1 });
    });

    it('answers 404 for an unknown pipeline, run or batch, and 400 for a malformed id', async () => {
      const api = await open();
      const unknown = '01a2126e-ba75-7080-bf0b-fcb63fe5316f';
      expect(
        await refused(api, 'POST', '/api/v1/pipelines/nope/runs', { input: { n: 1 } }),
      ).toMatchObject({ status: 404, code: 'PIPELINE_NOT_FOUND' });
      for (const [method, path] of [
        ['GET', `/api/v1/pipeline-runs/${unknown}`],
        ['GET', `/api/v1/pipeline-runs/${unknown}/graph`],
        ['POST', `/api/v1/pipeline-runs/${unknown}/cancel`],
        ['POST', `/api/v1/pipeline-runs/${unknown}/resume`],
        ['GET', `/api/v1/pipeline-batches/${unknown}`],
      ] as const) {
        expect(await refused(api, method, path), `${method} ${path}`).toMatchObject({
          status: 404,
          code: 'PIPELINE_RUN_NOT_FOUND',
        });
      }
      expect(await refused(api, 'GET', '/api/v1/pipeline-runs/not-an-id')).toMatchObject({
        status: 400,
        code: 'REQUEST_INVALID',
        paths: ['params.id'],
      });
    });

    it('refuses a bad input naming the field, and unknown fields; nothing starts', async () => {
      const api = await open();
      const path = '/api/v1/pipelines/sums/runs';
      expect(await refused(api, 'POST', path, { input: { n: 'ten' } })).toMatchObject({
        status: 400,
        code: 'PIPELINE_INPUT_INVALID',
        paths: ['input.n'],
      });
      expect(
        await refused(api, 'POST', path, { inputs: [{ n: 1 }, { m: 2 }, { n: 3 }] }),
      ).toMatchObject({ status: 400, code: 'PIPELINE_INPUT_INVALID', paths: ['inputs[1].n'] });
      expect(await refused(api, 'POST', path, { input: { n: 1 }, priority: 'high' })).toMatchObject(
        { status: 400, code: 'REQUEST_INVALID', messages: ['unknown field "priority"'] },
      );
      for (const body of [{}, { input: { n: 1 }, inputs: [{ n: 1 }] }, { inputs: [] }]) {
        expect(await refused(api, 'POST', path, body), JSON.stringify(body)).toMatchObject({
          status: 400,
          code: 'REQUEST_INVALID',
        });
      }
      expect(
        await refused(api, 'POST', `/api/v1/pipeline-runs/${crypto.randomUUID()}/cancel`, {
          why: 'x',
        }),
      ).toMatchObject({ status: 400, code: 'REQUEST_INVALID', messages: ['unknown field "why"'] });
      expect((await api.mill.pipelines.list()).runs).toEqual([]);
      expect((await api.mill.list()).tasks).toEqual([]);
    });
  });
});
