import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/index.ts';
import { remoteTasks } from '../fixtures/remote-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { type Api, useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Remote = Api<typeof remoteTasks>;
interface Claimed {
  id: string;
  type: string;
  input: unknown;
  attempt: number;
  leaseToken: string;
  timeout: { hardMs?: number };
}

const REMOTE = { leaseMs: 1_000, pollMs: 50, maxWaitMs: 10_000 };

/** Each registered worker's secret, by its id: every later call for the id carries it. */
const SECRETS = new Map<string, string>();

function asWorker(workerId: string): Record<string, string> {
  return { 'taskmill-worker-secret': SECRETS.get(workerId) ?? '' };
}

async function register(api: Remote, types = ['py.wordcount', 'py.sleep', 'remote.timed']) {
  const answer = await api.request('POST', '/api/v1/workers', {
    name: 'test-remote',
    host: 'box-7',
    pid: 4242,
    concurrency: 2,
    types,
    version: 'py-1.0',
  });
  expect(answer.status).toBe(201);
  const me = answer.json as {
    workerId: string;
    workerSecret: string;
    leaseMs: number;
    heartbeatMs: number;
  };
  SECRETS.set(me.workerId, me.workerSecret);
  return me;
}

/** One heartbeat of `workerId` that lists the tasks it holds. */
function heartbeatHolding(api: Remote, workerId: string, tasks: object[]) {
  return api.request(
    'POST',
    `/api/v1/workers/${workerId}/heartbeat`,
    { load: 1, tasks },
    asWorker(workerId),
  );
}

async function claim(api: Remote, workerId: string, body: object = {}): Promise<Claimed[]> {
  const answer = await api.request(
    'POST',
    `/api/v1/workers/${workerId}/claim`,
    { limit: 10, ...body },
    asWorker(workerId),
  );
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { tasks: Claimed[] }).tasks;
}

function post(api: Remote, workerId: string, taskId: string, what: string, body: object) {
  const path = `/api/v1/workers/${workerId}/tasks/${taskId}/${what}`;
  return api.request('POST', path, body, asWorker(workerId));
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('the remote worker protocol', () => {
    it('registers, claims with a long poll, reports progress and logs, completes', async () => {
      const api = await start(remoteTasks, { remoteWorkers: REMOTE });
      const me = await register(api);
      expect(me).toMatchObject({ leaseMs: 1_000, heartbeatMs: 333, maxWaitMs: 10_000 });
      expect(await claim(api, me.workerId)).toEqual([]);

      // A claim that waits is answered by the submit that comes while it waits.
      const waiting = claim(api, me.workerId, { waitMs: 8_000 });
      const task = await api.mill.submit('py.wordcount', { text: 'a b\nc' });
      const [got, ...more] = await waiting;
      expect(more).toEqual([]);
      expect(got).toMatchObject({ id: task.id, type: 'py.wordcount', attempt: 1 });
      expect(got?.input).toEqual({ text: 'a b\nc' });
      const id = task.id;
      const leaseToken = got?.leaseToken as string;

      const workers = (await api.request('GET', '/api/v1/workers')).json as { id: string }[];
      const listed = workers.find((w) => w.id === me.workerId);
      expect(listed).toMatchObject({
        name: 'test-remote',
        host: 'box-7',
        pid: 4242,
        state: 'online',
        types: ['py.wordcount', 'py.sleep', 'remote.timed'],
        version: 'py-1.0',
        tasks: [task.id],
      });

      expect(
        (await post(api, me.workerId, id, 'progress', { leaseToken, percent: 40 })).status,
      ).toBe(204);
      const lines = [
        { level: 'info', message: 'counting' },
        { level: 'warn', message: 'odd' },
      ];
      expect((await post(api, me.workerId, id, 'logs', { leaseToken, lines })).status).toBe(204);
      const running = await api.mill.get(id);
      expect(running).toMatchObject({ status: 'running', progress: 40, workerId: me.workerId });
      expect((await api.mill.logs(id)).map((l) => [l.level, l.message])).toEqual([
        ['info', 'counting'],
        ['warn', 'odd'],
      ]);

      const done = await post(api, me.workerId, id, 'complete', {
        leaseToken,
        output: { words: 3, lines: 2 },
        metrics: { bytesRead: 5 },
      });
      expect(done.json).toMatchObject({ status: 'completed', runAt: null, error: null });
      expect(await api.mill.get(id)).toMatchObject({
        status: 'completed',
        output: { words: 3, lines: 2 },
      });
      const [execution] = await api.mill.executions(id);
      expect(execution).toMatchObject({ outcome: 'completed', workerId: me.workerId });
      expect(execution?.metrics?.['bytesRead']).toBe(5);
      // Once settled, the token writes nothing more.
      const late = await post(api, me.workerId, id, 'progress', { leaseToken, percent: 90 });
      expect(late.status).toBe(409);
      expect(late.json).toMatchObject({ error: { code: 'LEASE_LOST' } });
    });

    it('fails under the retry policy, checks the output, and ends cancelled on request', async () => {
      const api = await start(remoteTasks, { remoteWorkers: REMOTE });
      const { workerId } = await register(api);
      const task = await api.mill.submit('py.wordcount', { text: 'x' });
      let [c] = await claim(api, workerId);
      const retried = await post(api, workerId, task.id, 'fail', {
        leaseToken: c?.leaseToken,
        error: { message: 'disk full', code: 'ENOSPC' },
      });
      expect(retried.json).toMatchObject({ status: 'retrying', error: { code: 'ENOSPC' } });

      [c] = await claim(api, workerId, { waitMs: 5_000 });
      expect(c?.attempt).toBe(2);
      // An output that breaks the type's schema fails the attempt, as it would in process.
      const bad = await post(api, workerId, task.id, 'complete', {
        leaseToken: c?.leaseToken,
        output: { words: 'three' },
      });
      expect(bad.json).toMatchObject({ status: 'failed', error: { code: 'TASK_OUTPUT_INVALID' } });

      const once = await api.mill.submit('py.wordcount', { text: 'y' });
      [c] = await claim(api, workerId);
      const final = await post(api, workerId, once.id, 'fail', {
        leaseToken: c?.leaseToken,
        error: { message: 'bad row', retryable: false },
      });
      expect(final.json).toMatchObject({ status: 'failed', error: { retryable: false } });

      const cancelled = await api.mill.submit('py.sleep', { seconds: 5 });
      [c] = await claim(api, workerId);
      const leaseToken = c?.leaseToken as string;
      expect((await api.request('POST', `/api/v1/tasks/${cancelled.id}/cancel`, {})).status).toBe(
        200,
      );
      const beat = await api.request(
        'POST',
        `/api/v1/workers/${workerId}/heartbeat`,
        { load: 1, tasks: [{ id: cancelled.id, leaseToken }] },
        asWorker(workerId),
      );
      expect(beat.json).toEqual({ lost: [], cancel: [cancelled.id] });
      const stopped = await post(api, workerId, cancelled.id, 'fail', {
        leaseToken,
        error: { message: 'stopped' },
      });
      expect(stopped.json).toMatchObject({ status: 'cancelled' });
    });

    it('refuses the writes of a lease that ran out; the next claim runs the task', async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
      const api = await start(remoteTasks, { remoteWorkers: REMOTE }, { clock });
      const { workerId } = await register(api);
      const task = await api.mill.submit('py.wordcount', { text: 'z' });
      const [first] = await claim(api, workerId);
      clock.advance(5_000);
      // An in-process worker's sweeper finds the lapsed lease, as it would a dead worker's.
      const sweeper = await api.mill.startWorker({ handleSignals: false, sweepMs: 20 });
      await waitFor('the lapsed lease to be recovered', async () =>
        (await api.mill.get(task.id)).status === 'queued' ? true : undefined,
      );
      await sweeper.stop();
      const stale = await post(api, workerId, task.id, 'complete', {
        leaseToken: first?.leaseToken,
        output: { words: 1, lines: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.json).toMatchObject({ error: { code: 'LEASE_LOST' } });
      expect((await api.mill.get(task.id)).status).toBe('queued');

      const [second] = await claim(api, workerId);
      expect(second?.leaseToken).not.toBe(first?.leaseToken);
      const done = await post(api, workerId, task.id, 'complete', {
        leaseToken: second?.leaseToken,
        output: { words: 1, lines: 1 },
      });
      expect(done.json).toMatchObject({ status: 'completed' });
      const outcomes = (await api.mill.executions(task.id)).map((e) => e.outcome);
      expect(outcomes).toEqual(['crashed', 'completed']);
    });

    it('ends a task past its hard timeout at the heartbeat and tells the worker to drop it', async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
      const api = await start(remoteTasks, { remoteWorkers: REMOTE }, { clock });
      const { workerId } = await register(api);
      const task = await api.mill.submit('remote.timed', {});
      const [c] = await claim(api, workerId);
      expect(c?.timeout).toEqual({ hardMs: 300 });
      const heartbeat = () =>
        heartbeatHolding(api, workerId, [{ id: task.id, leaseToken: c?.leaseToken }]);
      expect((await heartbeat()).json).toEqual({ lost: [], cancel: [] });
      clock.advance(301);
      expect((await heartbeat()).json).toEqual({ lost: [task.id], cancel: [] });
      expect(await api.mill.get(task.id)).toMatchObject({
        status: 'timed_out',
        error: { code: 'TASK_TIMED_OUT' },
      });
    });

    it("times a task by its own hard timeout, given at submit, in place of its type's", async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
      const api = await start(remoteTasks, { remoteWorkers: REMOTE }, { clock });
      const { workerId } = await register(api);
      const task = await api.mill.submit(
        'py.sleep',
        { seconds: 5 },
        { maxAttempts: 1, timeout: { softMs: 50, hardMs: 200 } },
      );
      const [c] = await claim(api, workerId);
      expect(c?.timeout).toEqual({ softMs: 50, hardMs: 200 });
      const heartbeat = () =>
        heartbeatHolding(api, workerId, [{ id: task.id, leaseToken: c?.leaseToken }]);
      clock.advance(200);
      expect((await heartbeat()).json).toEqual({ lost: [], cancel: [] });
      clock.advance(1);
      expect((await heartbeat()).json).toEqual({ lost: [task.id], cancel: [] });
      expect(await api.mill.get(task.id)).toMatchObject({
        status: 'timed_out',
        error: { code: 'TASK_TIMED_OUT', message: 'Attempt 1 passed its hard timeout of 200 ms.' },
      });
    });

    it('releases without using the attempt, forgets a claim its client gave up, deregisters', async () => {
      const api = await start(remoteTasks, { remoteWorkers: REMOTE });
      const { workerId } = await register(api);
      const task = await api.mill.submit('py.sleep', { seconds: 1 });
      const [c] = await claim(api, workerId);
      const released = await post(api, workerId, task.id, 'release', { leaseToken: c?.leaseToken });
      expect(released.json).toMatchObject({ status: 'queued' });
      expect(await api.mill.get(task.id)).toMatchObject({ status: 'queued', attempt: 0 });
      const [again] = await claim(api, workerId);
      expect(again?.attempt).toBe(1);
      await post(api, workerId, task.id, 'release', { leaseToken: again?.leaseToken });

      // A long poll whose client went away claims nothing for it.
      const gaveUp = new AbortController();
      const abandoned = fetch(`${api.server.url}/api/v1/workers/${workerId}/claim`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asWorker(workerId) },
        body: JSON.stringify({ limit: 5, waitMs: 8_000, types: ['py.wordcount'] }),
        signal: gaveUp.signal,
      }).catch(() => 'aborted');
      gaveUp.abort();
      expect(await abandoned).toBe('aborted');
      const later = await api.mill.submit('py.wordcount', { text: 'q' });
      const taken = await claim(api, workerId, { types: ['py.wordcount'], waitMs: 5_000 });
      expect(taken.map((t) => t.id)).toEqual([later.id]);

      const leave = await api.request(
        'DELETE',
        `/api/v1/workers/${workerId}`,
        undefined,
        asWorker(workerId),
      );
      expect(leave.status).toBe(204);
      const gone = await api.request(
        'POST',
        `/api/v1/workers/${workerId}/claim`,
        { limit: 1 },
        asWorker(workerId),
      );
      expect(gone.status).toBe(404);
      expect(gone.json).toMatchObject({ error: { code: 'WORKER_NOT_FOUND' } });
    });

    it('refuses unknown types and bad reports with the field named, writing nothing', async () => {
      const api = await start(remoteTasks, { remoteWorkers: REMOTE });
      const unknown = await api.request('POST', '/api/v1/workers', {
        name: 'w',
        concurrency: 1,
        types: ['nope'],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json).toMatchObject({ error: { code: 'TASK_TYPE_UNKNOWN' } });
      const { workerId } = await register(api);
      const task = await api.mill.submit('py.wordcount', { text: 'k' });
      const [c] = await claim(api, workerId);
      const bad = await post(api, workerId, task.id, 'progress', {
        leaseToken: c?.leaseToken,
        percent: 140,
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('percent');
      expect((await api.mill.get(task.id)).progress).toBeNull();
      const workers = (await api.request('GET', '/api/v1/workers')).json as unknown[];
      expect(workers).toHaveLength(1);
    });
  });
});
