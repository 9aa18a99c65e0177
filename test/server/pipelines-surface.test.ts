/**
 * What is around the pipeline routes, over a real socket on SQLite and PostgreSQL: the OpenAPI
 * document describes them (and `skipped`, and a task's `pipeline`), a read-scoped token cannot
 * start, cancel or resume a run, the event stream carries a run's events to its end, and
 * `/metrics` counts runs and steps.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask } from '../../src/index.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

type Operation = { operationId?: string };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
};

const double = defineTask({
  name: 'double',
  input: z.number(),
  run: (x) => x * 2,
});
const twice = definePipeline({
  name: 'twice',
  input: z.number(),
  steps: {
    first: { task: double },
    second: { task: double, dependsOn: ['first'] },
  },
});

const TOKENS = {
  read: 'read-token-0123456789',
  write: 'write-token-0123456789',
  admin: 'admin-token-0123456789',
};
const tokens = parseTokens(
  Object.entries(TOKENS)
    .map(([scope, token]) => `${token}:${scope}`)
    .join(' '),
  'test',
);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Read an event stream until `until` says enough (or 10 s pass), then close it. */
async function readEvents(
  url: string,
  until: (events: { event: string; data: Record<string, unknown> }[]) => boolean,
  opened: () => void,
) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  const res = await fetch(url, { signal: abort.signal });
  opened();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data !== undefined)
          events.push({ event: field('event') ?? '', data: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('pipelines around the routes', () => {
    it('are in the OpenAPI document, with skipped and the task pipeline link', async () => {
      const api = await start([] as const, {}, { pipelines: [twice] });
      const doc = (await api.request('GET', '/api/openapi.json')).json as Doc;
      const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
      expect(result.errors ?? []).toEqual([]);
      const operations = Object.fromEntries(
        Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => [op.operationId, `${method} ${path}`]),
        ),
      );
      expect(operations).toMatchObject({
        listPipelines: 'get /api/v1/pipelines',
        startPipelineRun: 'post /api/v1/pipelines/{name}/runs',
        listPipelineRuns: 'get /api/v1/pipeline-runs',
        getPipelineRun: 'get /api/v1/pipeline-runs/{id}',
        getPipelineRunGraph: 'get /api/v1/pipeline-runs/{id}/graph',
        cancelPipelineRun: 'post /api/v1/pipeline-runs/{id}/cancel',
        resumePipelineRun: 'post /api/v1/pipeline-runs/{id}/resume',
        getPipelineBatch: 'get /api/v1/pipeline-batches/{id}',
      });
      const { Task, PipelineRun, PipelineBatch } = doc.components.schemas;
      expect(Task?.properties['status']?.['enum']).toContain('skipped');
      expect(Task?.properties['pipeline']).toMatchObject({
        type: ['object', 'null'],
        properties: { runId: {}, step: {}, item: {} },
      });
      expect(PipelineRun?.properties['steps']).toBeDefined();
      expect(PipelineBatch?.properties['runs']).toBeDefined();
    });

    it('a read-scoped token reads runs but cannot start, cancel or resume one', async () => {
      const api = await start([] as const, { tokens }, { pipelines: [twice] });
      const run = await api.mill.pipelines.run('twice', 1);
      const changes = [
        ['POST', '/api/v1/pipelines/twice/runs', { input: 2 }],
        ['POST', `/api/v1/pipeline-runs/${run.id}/cancel`, undefined],
        ['POST', `/api/v1/pipeline-runs/${run.id}/resume`, undefined],
      ] as const;
      for (const scope of ['read', 'write'] as const) {
        for (const [method, path, body] of changes) {
          const answer = await api.request(method, path, body, bearer(TOKENS[scope]));
          expect(answer.status, `${scope}: ${method} ${path}`).toBe(403);
          expect(answer.json).toMatchObject({
            error: { code: 'AUTH_FORBIDDEN', details: { needs: 'admin' } },
          });
        }
      }
      for (const path of [
        '/api/v1/pipelines',
        '/api/v1/pipeline-runs',
        `/api/v1/pipeline-runs/${run.id}`,
        `/api/v1/pipeline-runs/${run.id}/graph`,
      ]) {
        expect((await api.request('GET', path, undefined, bearer(TOKENS.read))).status).toBe(200);
      }
      expect((await api.request('GET', '/api/v1/pipeline-runs')).status).toBe(401);
      const admin = bearer(TOKENS.admin);
      expect((await api.request(...changes[0], admin)).status).toBe(201);
      expect((await api.request(...changes[1], admin)).status).toBe(200);
      expect((await api.mill.pipelines.list()).runs).toHaveLength(2);
    });

    it('streams the run and step events over SSE, ending with pipeline.run.ended', async () => {
      const api = await start([] as const, {}, { pipelines: [twice] });
      let runId = '';
      const reading = readEvents(
        `${api.server.url}/api/v1/events?kind=pipeline.run.started&kind=pipeline.step.ended&kind=pipeline.run.ended`,
        (events) => events.some((e) => e.event === 'pipeline.run.ended'),
        // Start once the stream is open, so that no event falls before it.
        () => {
          void api.mill.pipelines.run('twice', 5).then(async (run) => {
            runId = run.id;
            await api.mill.startWorker({ concurrency: 2, handleSignals: false });
          });
        },
      );
      const events = await reading;
      expect(events.map((e) => e.event)).toEqual([
        'pipeline.run.started',
        'pipeline.step.ended',
        'pipeline.step.ended',
        'pipeline.run.ended',
      ]);
      expect(events.map((e) => e.data['step'] ?? null)).toEqual([null, 'first', 'second', null]);
      expect(events.at(-1)?.data).toMatchObject({
        runId,
        pipeline: 'twice',
        status: 'completed',
        at: expect.stringMatching(/Z$/),
      });
      expect(events[1]?.data).toMatchObject({ runId, status: 'completed', item: null });
    });

    it('counts runs and steps in /metrics', async () => {
      const api = await start([] as const, {}, { pipelines: [twice] });
      await api.mill.startWorker({ concurrency: 2, handleSignals: false });
      const batch = await api.mill.pipelines.runMany('twice', [1, 2, 3]);
      await api.mill.pipelines.waitBatch(batch.id, { timeoutMs: 10_000 });
      const text = (await api.request('GET', '/metrics')).text;
      expect(text).toContain('taskmill_pipeline_runs_started_total{pipeline="twice"} 3');
      expect(text).toContain(
        'taskmill_pipeline_runs_ended_total{pipeline="twice",status="completed"} 3',
      );
      expect(text).toContain(
        'taskmill_pipeline_steps_ended_total{pipeline="twice",step="second",status="completed"} 3',
      );
      expect(text).toMatch(
        /taskmill_pipeline_step_duration_seconds_count\{pipeline="twice",step="first",status="completed"\} 3/,
      );
    });
  });
});
