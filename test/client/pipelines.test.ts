/**
 * `client.pipelines` against a real server on SQLite and PostgreSQL: the same calls as
 * `mill.pipelines` with the same results (times as Date), waits that end on the run's event,
 * the server's refusals as TaskmillErrors, options checked before a request goes out, and the
 * pipeline events on the client's stream.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, definePipeline, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { gate } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

let held = gate();
const double = defineTask({
  name: 'double',
  input: z.number(),
  retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
  run: (x) => x * 2,
});
const hold = defineTask({
  name: 'hold',
  input: z.number(),
  retry: { kind: 'fixed', delayMs: 0, maxAttempts: 1 },
  run: async (x, ctx) => {
    await Promise.race([
      held.promise,
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
      ),
    ]);
    return x;
  },
});
const twice = definePipeline({
  name: 'twice',
  input: z.number(),
  steps: {
    first: { task: double },
    second: { task: double, dependsOn: ['first'] },
  },
});
const holding = definePipeline({
  name: 'holding',
  input: z.number(),
  steps: {
    wait: { task: hold },
    after: { task: double, dependsOn: ['wait'] },
  },
});

/** Long enough that only the run's event can end a wait within a test. */
const NO_POLL = 60_000;

forEachBackend((backend) => {
  const start = useApi(backend);
  const open = async () => {
    const api = await start([] as const, {}, { pipelines: [twice, holding] });
    await api.mill.startWorker({ concurrency: 4, handleSignals: false, heartbeatMs: 50 });
    return { api, client: createClient({ url: api.server.url }) };
  };

  describe('client.pipelines', () => {
    it('runs, waits and reads what mill.pipelines reads, times as Date', async () => {
      const { api, client } = await open();
      expect(await client.pipelines.definitions()).toEqual(await api.mill.pipelines.definitions());
      const started = await client.pipelines.run('twice', 5);
      expect(started.status).toBe('running');
      expect(started.createdAt).toBeInstanceOf(Date);
      const done = await client.pipelines.wait(started.id, { timeoutMs: 10_000, pollMs: NO_POLL });
      expect(done.status).toBe('completed');
      expect(done.output).toEqual({ second: 20 });
      expect(done.endedAt).toBeInstanceOf(Date);
      expect(done.steps[1]?.finishedAt).toBeInstanceOf(Date);
      expect(done).toEqual(await api.mill.pipelines.get(started.id));
      expect(await client.pipelines.get(started.id)).toEqual(done);
      expect(await client.pipelines.graph(started.id)).toEqual(
        await api.mill.pipelines.graph(started.id),
      );
      const task = await client.get(done.steps[0]?.taskId as string);
      expect(task.pipeline).toEqual({ runId: started.id, step: 'first', item: null });
    });

    it('runs many: a batch in input order, waited for and listed', async () => {
      const { api, client } = await open();
      const batch = await client.pipelines.runMany('twice', [1, 2, 3]);
      expect(batch).toMatchObject({ pipeline: 'twice', total: 3 });
      const done = await client.pipelines.waitBatch(batch.id, {
        timeoutMs: 10_000,
        pollMs: NO_POLL,
      });
      expect(done).toMatchObject({ total: 3, completed: 3, running: 0 });
      expect(done.runs.map((r) => r.output)).toEqual([
        { second: 4 },
        { second: 8 },
        { second: 12 },
      ]);
      expect(await client.pipelines.batch(batch.id)).toEqual(
        await api.mill.pipelines.batch(batch.id),
      );
      const page = await client.pipelines.list({ pipeline: 'twice', limit: 2 });
      expect(page.runs.map((r) => r.id)).toEqual([batch.runs[2]?.id, batch.runs[1]?.id]);
      expect(page.runs[0]?.batch).toEqual({ id: batch.id, index: 2 });
      const rest = await client.pipelines.list({
        pipeline: 'twice',
        cursor: page.nextCursor as string,
      });
      expect(rest).toEqual({
        runs: [await api.mill.pipelines.get(batch.runs[0]?.id as string)],
        nextCursor: null,
      });
      expect((await client.pipelines.list({ status: 'failed' })).runs).toEqual([]);
    });

    it('cancels and resumes, with the same refusals as the library', async () => {
      const { api, client } = await open();
      held = gate();
      const seen = new Set<string>();
      const off = api.mill.on('pipeline.step.started', (e) => seen.add(e.runId));
      const run = await client.pipelines.run('holding', 3);
      await waitFor('the first step to start', () => seen.has(run.id));
      off();
      expect((await errorOf(client.pipelines.resume(run.id))).code).toBe('PIPELINE_RUN_STATE');
      const cancelling = await client.pipelines.cancel(run.id, { reason: 'enough' });
      expect(cancelling.cancelRequested).toBe(true);
      const cancelled = await client.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(cancelled.status).toBe('cancelled');
      expect((await errorOf(client.pipelines.cancel(run.id))).code).toBe('PIPELINE_RUN_STATE');
      held.open();
      expect((await client.pipelines.resume(run.id)).status).toBe('running');
      const done = await client.pipelines.wait(run.id, { timeoutMs: 10_000 });
      expect(done.output).toEqual({ after: 6 });
    });

    it("throws the server's codes, and refuses bad options before sending", async () => {
      const { client } = await open();
      const unknown = '01a2126e-ba75-7080-bf0b-fcb63fe5316f';
      expect((await errorOf(client.pipelines.run('nope', 1))).code).toBe('PIPELINE_NOT_FOUND');
      expect((await errorOf(client.pipelines.get(unknown))).code).toBe('PIPELINE_RUN_NOT_FOUND');
      expect((await errorOf(client.pipelines.batch(unknown))).code).toBe('PIPELINE_RUN_NOT_FOUND');
      expect((await errorOf(client.pipelines.cancel(unknown))).code).toBe('PIPELINE_RUN_NOT_FOUND');
      const bad = await errorOf(client.pipelines.runMany('twice', [1, 'two', 3]));
      expect(bad.code).toBe('PIPELINE_INPUT_INVALID');
      expect(bad.details['issues']).toEqual([expect.objectContaining({ path: 'inputs[1]' })]);
      expect((await client.pipelines.list()).runs).toEqual([]);

      const limit = await errorOf(client.pipelines.list({ limit: 0 }));
      expect(limit.code).toBe('OPTIONS_INVALID');
      expect(limit.message).toMatch(/options\.limit/);
      expect((await errorOf(client.pipelines.list({ state: 'x' } as never))).code).toBe(
        'OPTIONS_INVALID',
      );
      expect((await errorOf(client.pipelines.wait(unknown, { pollMs: 0 }))).code).toBe(
        'OPTIONS_INVALID',
      );
    });

    it('gives up waiting after timeoutMs with WAIT_TIMEOUT', async () => {
      const { client } = await open();
      held = gate();
      const run = await client.pipelines.run('holding', 1);
      const late = await errorOf(client.pipelines.wait(run.id, { timeoutMs: 50 }));
      expect(late.code).toBe('WAIT_TIMEOUT');
      expect(late.details).toMatchObject({ runId: run.id, timeoutMs: 50 });
      held.open();
    });

    it('streams pipeline.run.ended with its time as a Date', async () => {
      const { api, client } = await open();
      const stop = new AbortController();
      const events = client.events({ kinds: ['pipeline.run.ended'], signal: stop.signal });
      const first = events.next();
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      const run = await client.pipelines.run('twice', 1);
      const ended = (await first).value;
      stop.abort();
      expect(ended).toMatchObject({
        kind: 'pipeline.run.ended',
        data: { runId: run.id, pipeline: 'twice', status: 'completed' },
      });
      expect(ended?.kind === 'pipeline.run.ended' && ended.data.at).toBeInstanceOf(Date);
    });
  });
});
