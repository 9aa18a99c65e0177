/**
 * `POST /api/v1/tasks/cancel` (and `mill.cancelMany`): cancel every task that matches a filter,
 * each through the one-task cancel; and `POST /api/v1/tasks/retry` taking the same filter. Over
 * a real socket on SQLite.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock, type Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

const good = { url: 'https://example.com/a.png', width: 320 };
type Answer = { cancelled: string[]; skipped: string[] };

describe('cancel by filter', () => {
  const start = useApi(SQLITE);

  it('cancels every waiting task by default, records the reason, and leaves running ones alone unless asked', async () => {
    const api = await start(apiTasks);
    const { mill } = api;
    await mill.startWorker({ handleSignals: false, queues: ['busy'], concurrency: 1 });
    const started = new Promise<void>((resolve) => {
      const off = mill.on('task.status', (e) => {
        if (e.to === 'running') resolve(off());
      });
    });
    const running = await mill.submit('sleep', { ms: 60_000 }, { queue: 'busy' });
    await started;

    const queued = await mill.submit('image.resize', good);
    const paused = await mill.submit('image.resize', good);
    await mill.pause(paused.id);
    const delayed = await mill.submit('image.resize', good, { delayMs: 3_600_000 });
    // Waits on the running one: cancelling a dependency would end it too (and it would be skipped).
    const pending = await mill.submit('image.resize', good, { dependsOn: [running.id] });

    const res = await api.request('POST', '/api/v1/tasks/cancel', { reason: 'clean up' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      cancelled: [queued.id, paused.id, delayed.id, pending.id],
      skipped: [],
    });
    for (const id of [queued.id, paused.id, delayed.id, pending.id]) {
      expect((await mill.get(id)).status).toBe('cancelled');
    }
    expect((await mill.history(paused.id)).at(-1)).toMatchObject({
      from: 'paused',
      to: 'cancelled',
      reason: 'clean up',
    });
    expect((await mill.get(running.id)).status).toBe('running');

    // Running work stops only when `running` is named: asked to stop, its worker ends it.
    const stop = await api.request('POST', '/api/v1/tasks/cancel', { status: ['running'] });
    expect(stop.json).toEqual({ cancelled: [running.id], skipped: [] });
    const ended = await mill.wait(running.id, { timeoutMs: 10_000 });
    expect(ended.status).toBe('cancelled');
    expect((await mill.history(running.id)).at(-1)?.reason).toMatch(/cancel/);
  });

  it("takes the task list's filter: type, queue, name, q, created time, limit (oldest first)", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const api = await start(apiTasks, {}, { clock });
    const { mill } = api;
    const at = (minute: number) => clock.set(Date.UTC(2026, 0, 1, 0, minute));
    const submit = async (minute: number, type: 'image.resize' | 'chatty', o = {}) => {
      at(minute);
      const input = type === 'chatty' ? { lines: 1, size: 1 } : good;
      return mill.submit(type, input as never, o);
    };
    const report = await submit(1, 'image.resize', { name: 'Nightly REPORT' });
    const byQueue = await submit(2, 'image.resize', { queue: 'q2' });
    const byType = await submit(3, 'chatty');
    const byText = await submit(4, 'image.resize', { name: 'invoice 7731' });
    const early = await submit(10, 'image.resize');
    const late = await submit(20, 'image.resize');
    const last = await submit(30, 'image.resize');
    const cancel = async (body: object) =>
      (await api.request('POST', '/api/v1/tasks/cancel', body)).json as Answer;

    expect(await cancel({ name: 'report' })).toEqual({ cancelled: [report.id], skipped: [] });
    expect((await cancel({ queue: ['q2'] })).cancelled).toEqual([byQueue.id]);
    expect((await cancel({ type: ['chatty'] })).cancelled).toEqual([byType.id]);
    expect((await cancel({ q: '7731' })).cancelled).toEqual([byText.id]);
    const range = {
      createdFrom: new Date(Date.UTC(2026, 0, 1, 0, 15)).toISOString(),
      createdTo: new Date(Date.UTC(2026, 0, 1, 0, 30)).toISOString(),
    };
    expect((await cancel(range)).cancelled).toEqual([late.id]);
    // The oldest first, up to the limit.
    expect((await cancel({ limit: 1 })).cancelled).toEqual([early.id]);
    expect((await mill.get(last.id)).status).toBe('queued');
    expect(await cancel({ name: 'nobody has this name' })).toEqual({ cancelled: [], skipped: [] });
  });

  it('skips a task that changed after it was found, and refuses a bad filter changing nothing', async () => {
    const api = await start(apiTasks);
    const { mill } = api;
    const first = await mill.submit('image.resize', good);
    const movedOn = await mill.submit('image.resize', good);
    const endedMeanwhile = await mill.submit('image.resize', good);
    // While the first is being cancelled, someone else pauses one and cancels another: the
    // pause leaves it outside the filter (queued only), the cancel leaves nothing to cancel.
    const off = mill.on('task.status', (e) => {
      if (e.taskId !== first.id || e.to !== 'cancelled') return;
      void mill.pause(movedOn.id);
      void mill.cancel(endedMeanwhile.id, 'by someone else');
    });
    const res = await api.request('POST', '/api/v1/tasks/cancel', { status: ['queued'] });
    off();
    expect(res.json).toEqual({ cancelled: [first.id], skipped: [movedOn.id, endedMeanwhile.id] });
    expect((await mill.get(movedOn.id)).status).toBe('paused');
    expect((await mill.history(endedMeanwhile.id)).at(-1)?.reason).toBe('by someone else');

    const refused = [
      { status: ['completed'] },
      { status: [] },
      { limit: 10_001 },
      { limit: 0 },
      { statuses: ['queued'] },
      { createdFrom: 'yesterday' },
      { reason: 'x'.repeat(1001) },
      { name: 'x'.repeat(201) },
    ];
    for (const body of refused) {
      const answer = await api.request('POST', '/api/v1/tasks/cancel', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await mill.get(movedOn.id)).status).toBe('paused');
  });

  it('the library call checks its filter as the route does', async () => {
    const api = await start(apiTasks);
    const task = await api.mill.submit('image.resize', good);
    await expect(api.mill.cancelMany({ status: ['failed'] as never })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
    });
    await expect(api.mill.cancelMany({ limit: 0 })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
    });
    expect(await api.mill.cancelMany({ status: 'queued', type: 'image.resize' })).toEqual({
      cancelled: [task.id],
      skipped: [],
    });
  });
});

describe('retry by filter', () => {
  const start = useApi(SQLITE);

  it('takes the same filter as cancel: name, q, created time', async () => {
    const api = await start(apiTasks);
    const { mill } = api;
    const named = await mill.submit('image.resize', good, { name: 'weekly export' });
    const other = await mill.submit('image.resize', good, { name: 'daily export' });
    const third = await mill.submit('image.resize', good);
    for (const t of [named, other, third]) await mill.cancel(t.id);
    const retry = async (body: object) =>
      (await api.request('POST', '/api/v1/tasks/retry', body)).json as {
        retried: string[];
        skipped: string[];
      };
    expect(await retry({ status: ['cancelled'], name: 'WEEKLY' })).toEqual({
      retried: [named.id],
      skipped: [],
    });
    expect((await retry({ status: ['cancelled'], q: 'daily' })).retried).toEqual([other.id]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await retry({ status: ['cancelled'], createdFrom: future })).retried).toEqual([]);
    expect((await retry({ status: ['cancelled'], maxAttempts: 4 })).retried).toEqual([third.id]);
    const retried: Task = await mill.get(third.id);
    expect(retried).toMatchObject({ status: 'queued', maxAttempts: 4 });
    expect((await api.request('POST', '/api/v1/tasks/retry', { status: ['queued'] })).status).toBe(
      400,
    );
  });
});
