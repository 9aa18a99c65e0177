import { describe, expect, it } from 'vitest';
import { ManualClock, type Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { stallingJob } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';

/** The value of one sample line, `name{labels} value`, or undefined when absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('/metrics', () => {
    it('reports tasks, queues, workers, durations and claims in Prometheus text', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false });
      const ids: string[] = [];
      for (const body of [
        { type: 'image.resize', input: { url: 'https://e.com/a', width: 1 } },
        { type: 'always.fail', input: {} },
      ]) {
        ids.push(((await api.request('POST', '/api/v1/tasks', body)).json as Task).id);
      }
      for (const id of ids) await api.mill.wait(id);
      await api.request('POST', '/api/v1/tasks', {
        type: 'sleep',
        input: { ms: 1 },
        queue: 'later',
        delayMs: 60_000,
      });
      await api.mill.pauseQueue('held');
      const held = (
        await api.request('POST', '/api/v1/tasks', {
          type: 'sleep',
          input: { ms: 1 },
          queue: 'held',
        })
      ).json as Task;
      await new Promise((r) => setTimeout(r, 50));
      const res = await api.request('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = res.text;
      expect(sample(text, 'taskmill_tasks', { type: 'image.resize', status: 'completed' })).toBe(1);
      expect(sample(text, 'taskmill_tasks', { type: 'always.fail', status: 'failed' })).toBe(1);
      expect(sample(text, 'taskmill_queue_tasks', { queue: 'later', status: 'queued' })).toBe(1);
      // A delayed task is not due, so nothing has waited yet.
      expect(sample(text, 'taskmill_queue_oldest_queued_seconds', { queue: 'later' })).toBe(0);
      const waited = sample(text, 'taskmill_queue_oldest_queued_seconds', { queue: 'held' }) ?? 0;
      expect(waited).toBeGreaterThanOrEqual(0.04);
      expect(waited).toBeLessThan((Date.now() - new Date(held.createdAt).getTime()) / 1000 + 0.01);
      expect(sample(text, 'taskmill_workers', { state: 'online' })).toBe(1);
      expect(
        sample(text, 'taskmill_task_duration_seconds_count', {
          type: 'image.resize',
          status: 'completed',
        }),
      ).toBe(1);
      expect(sample(text, 'taskmill_claim_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(text).toContain('# TYPE taskmill_stale_writes_rejected_total counter');
      expect(sample(text, 'taskmill_stale_writes_rejected_total')).toBeUndefined();
    });

    it('counts the late writes of a frozen worker that were refused as stale', async () => {
      const clock = new ManualClock(Date.now());
      const { job, firstRun, release } = stallingJob();
      const api = await start([...apiTasks, job], {}, { clock });
      const lost: string[] = [];
      api.mill.on('lease.lost', (e) => lost.push(e.what));
      const refused = new Promise((r) =>
        api.mill.on('lease.lost', (e) => e.what === 'result' && r(e)),
      );
      const task = await api.mill.submit('job', {});
      // The frozen worker: after its first beat it neither renews its lease nor sweeps, and it
      // is busy with this task, so the other worker is the one that recovers and reruns it.
      await api.mill.startWorker({
        handleSignals: false,
        concurrency: 1,
        leaseMs: 1000,
        heartbeatMs: 600_000,
        sweepMs: 600_000,
      });
      await firstRun;
      clock.advance(5000);
      await api.mill.startWorker({ handleSignals: false, leaseMs: 1000 });
      expect((await api.mill.wait(task.id, { timeoutMs: 5000 })).output).toBe('second');
      release();
      await refused;
      const text = (await api.request('GET', '/metrics')).text;
      expect(sample(text, 'taskmill_stale_writes_rejected_total', { what: 'result' })).toBe(1);
      for (const what of new Set(lost)) {
        expect(sample(text, 'taskmill_stale_writes_rejected_total', { what }), what).toBe(
          lost.filter((w) => w === what).length,
        );
      }
    });
  });
});
