import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTask, ManualClock, type Taskmill } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { gate, stallingJob, useMills } from '../helpers/mill.ts';

/** Resolves when the signal aborts; the handler then rejects like a well-behaved one. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Timers and Date are fake; setImmediate stays real, so claims and settles run by themselves. */
function fakeTime(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

/**
 * Until `check` holds, re-checked on each real turn of the event loop: under fake timers the
 * `waitFor` helper's own sleep would never end. Gives up after 5 s of real time.
 */
async function untilReal(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Resolves at the `count`-th time some task enters `status`. */
function nthStatus(mill: { on: Taskmill['on'] }, status: string, count = 1): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    mill.on('task.status', (e) => {
      if (e.to === status && ++seen === count) resolve();
    });
  });
}

forEachBackend((backend) => {
  const open = useMills(backend);
  // Registered after useMills, so it runs before the mills close: closing on fake timers could
  // wait forever on a timer nobody advances.
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('timeouts', () => {
    it('a soft timeout warns in the log and emits an event; the task goes on', async () => {
      fakeTime();
      const slowish = defineTask({
        name: 'slowish',
        input: z.object({}),
        timeout: { softMs: 20 },
        run: (_, ctx) => untilAborted(ctx.signal),
      });
      const mill = await open([slowish]);
      const task = await mill.submit('slowish', {});
      const running = nthStatus(mill, 'running');
      const events: unknown[] = [];
      mill.on('task.soft_timeout', (e) => events.push(e));
      await mill.startWorker({ handleSignals: false });
      await running;
      await vi.advanceTimersByTimeAsync(19);
      expect(events).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(events).toEqual([
        expect.objectContaining({ taskId: task.id, softMs: 20, attempt: 1 }),
      ]);
      await vi.advanceTimersByTimeAsync(1000);
      expect((await mill.get(task.id)).status).toBe('running');
      await mill.cancel(task.id);
      await mill.wait(task.id, { timeoutMs: 5000 });
      const logs = await mill.logs(task.id);
      expect(logs.some((l) => l.level === 'warn' && l.message.includes('soft timeout'))).toBe(true);
    });

    it('a hard timeout aborts the signal and ends timed_out, or retries while attempts remain', async () => {
      fakeTime();
      const seen: unknown[] = [];
      const stuck = defineTask({
        name: 'stuck',
        input: z.object({}),
        timeout: { hardMs: 30 },
        retry: { kind: 'fixed', delayMs: 0, maxAttempts: 2 },
        run: async (_, ctx) => {
          ctx.signal.addEventListener('abort', () => seen.push(ctx.signal.reason));
          await untilAborted(ctx.signal);
        },
      });
      const mill = await open([stuck]);
      const task = await mill.submit('stuck', {});
      const first = nthStatus(mill, 'running', 1);
      const second = nthStatus(mill, 'running', 2);
      const finished = nthStatus(mill, 'timed_out');
      await mill.startWorker({ handleSignals: false });
      await first;
      await vi.advanceTimersByTimeAsync(29);
      expect(seen).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(seen).toEqual([expect.objectContaining({ code: 'TASK_TIMED_OUT' })]);
      await second;
      await vi.advanceTimersByTimeAsync(30);
      await finished;
      const done = await mill.get(task.id);
      expect(done).toMatchObject({
        status: 'timed_out',
        attempt: 2,
        error: { code: 'TASK_TIMED_OUT' },
      });
      expect(seen).toHaveLength(2);
      const executions = await mill.executions(task.id);
      expect(executions.map((e) => e.outcome)).toEqual(['timed_out', 'timed_out']);
      expect((await mill.history(task.id)).map((h) => h.to)).toEqual([
        'queued',
        'running',
        'retrying',
        'running',
        'timed_out',
      ]);
    });
  });

  describe('cancel', () => {
    it('cancels a queued task at once and a running one through its signal', async () => {
      const started = gate();
      const long = defineTask({
        name: 'long',
        input: z.object({}),
        run: async (_, ctx) => {
          started.open();
          await untilAborted(ctx.signal);
        },
      });
      const mill = await open([long]);
      const delayed = await mill.submit('long', {}, { delayMs: 60_000 });
      expect((await mill.cancel(delayed.id)).status).toBe('cancelled');
      const task = await mill.submit('long', {});
      await mill.startWorker({ handleSignals: false });
      await started.promise;
      const marked = await mill.cancel(task.id);
      expect(marked).toMatchObject({ status: 'running', cancelRequested: true });
      const done = await mill.wait(task.id, { timeoutMs: 5000 });
      expect(done).toMatchObject({ status: 'cancelled', error: { code: 'TASK_CANCELLED' } });
    });
  });

  describe('graceful shutdown', () => {
    it('lets short tasks finish and gives long ones back without using an attempt', async () => {
      fakeTime();
      // Fake time may move only once both handlers have set their timers: `running` is told
      // before a handler starts, and on a loaded machine a database round trip can lie between.
      let armed = 0;
      let onArmed = () => {};
      const bothArmed = new Promise<void>((resolve) => {
        onArmed = () => {
          if (++armed === 2) resolve();
        };
      });
      const both = defineTask({
        name: 'both',
        input: z.object({ ms: z.number() }),
        run: async ({ ms }, ctx) => {
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(resolve, ms);
            onArmed();
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(t);
              reject(ctx.signal.reason);
            });
          });
          return ms;
        },
      });
      const mill = await open([both]);
      const short = await mill.submit('both', { ms: 100 });
      const long = await mill.submit('both', { ms: 60_000 });
      const running = nthStatus(mill, 'running', 2);
      const worker = await mill.startWorker({ concurrency: 2, handleSignals: false });
      await running;
      await bothArmed;
      const shortDone = nthStatus(mill, 'completed');
      const stopped = worker.stop({ graceMs: 500 });
      // The grace period counts from the call. The store shows the worker draining, a round trip
      // later on a database server.
      await untilReal('the worker to be draining', async () =>
        (await mill.workers()).some((w) => w.id === worker.id && w.state === 'draining'),
      );
      await vi.advanceTimersByTimeAsync(100);
      await shortDone;
      expect(await mill.get(short.id)).toMatchObject({ status: 'completed', output: 100 });
      expect((await mill.get(long.id)).status).toBe('running');
      await vi.advanceTimersByTimeAsync(400);
      await stopped;
      const back = await mill.get(long.id);
      expect(back).toMatchObject({ status: 'queued', attempt: 0, workerId: null });
      const [execution] = await mill.executions(long.id);
      expect(execution).toMatchObject({ outcome: 'released', error: { code: 'WORKER_SHUTDOWN' } });
      expect((await mill.history(long.id)).at(-1)).toMatchObject({
        from: 'running',
        to: 'queued',
        reason: 'released at shutdown',
      });
    });
    it('a second stop ends the grace period at once, even while the first still tells the store', async () => {
      const endless = defineTask({
        name: 'endless',
        input: z.object({}),
        run: (_, ctx) => untilAborted(ctx.signal),
      });
      const mill = await open([endless]);
      const task = await mill.submit('endless', {});
      const running = nthStatus(mill, 'running');
      const worker = await mill.startWorker({ handleSignals: false });
      await running;
      // The second call comes before the first has marked the worker draining in the store: it
      // must still cut the ten minutes short (the test's own timeout is far below them).
      const first = worker.stop({ graceMs: 600_000 });
      const second = worker.stop({ graceMs: 0 });
      await Promise.all([first, second]);
      expect(await mill.get(task.id)).toMatchObject({ status: 'queued', attempt: 0 });
    });
  });

  describe('queues', () => {
    it('a paused queue holds its tasks until resumed', async () => {
      const t = defineTask({ name: 't', input: z.object({}), run: () => 'ran' });
      const mill = await open([t]);
      await mill.pauseQueue('held');
      const held = await mill.submit('t', {}, { queue: 'held' });
      const free = await mill.submit('t', {}, { queue: 'free' });
      await mill.startWorker({ handleSignals: false, pollMs: 20 });
      await mill.wait(free.id, { timeoutMs: 5000 });
      // `held` is older than `free`, so the claim that took `free` would have taken it first.
      expect((await mill.get(held.id)).status).toBe('queued');
      expect((await mill.queues()).find((q) => q.name === 'held')).toMatchObject({ paused: true });
      await mill.resumeQueue('held');
      expect((await mill.wait(held.id, { timeoutMs: 5000 })).status).toBe('completed');
    });

    it('a queue concurrency limit holds across two workers', async () => {
      let running = 0;
      let peak = 0;
      const t = defineTask({
        name: 'limited',
        input: z.object({}),
        run: async () => {
          running++;
          peak = Math.max(peak, running);
          // Hold the slot for a few turns of the event loop, so both workers try to claim meanwhile.
          for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
          running--;
        },
      });
      const mill = await open([t]);
      await mill.setQueueConcurrency('narrow', 2);
      const tasks = await mill.submitMany(
        Array.from({ length: 12 }, () => ({
          type: 'limited' as const,
          input: {},
          options: { queue: 'narrow' },
        })),
      );
      await mill.startWorker({ concurrency: 5, handleSignals: false, pollMs: 10 });
      await mill.startWorker({ concurrency: 5, handleSignals: false, pollMs: 10 });
      for (const task of tasks) await mill.wait(task.id, { timeoutMs: 10_000 });
      expect(peak).toBe(2);
    });
  });

  describe('leases and fencing', () => {
    it('a task whose lease expired is recovered by another worker, and the late result is rejected', async () => {
      const clock = new ManualClock(Date.now());
      const { job, firstRun, release } = stallingJob();
      const a = await open([job], { clock });
      const task = await a.submit('job', {});
      // Worker A stands for one that stalled: after its first beat it neither renews its lease
      // nor sweeps, whatever the real time (a renewal after the clock moves would keep the lease
      // alive, and A's own sweeper could take the recovery from B).
      await a.startWorker({
        handleSignals: false,
        leaseMs: 1000,
        heartbeatMs: 600_000,
        sweepMs: 600_000,
      });
      await firstRun;
      clock.advance(5000);
      const b = await open([job], { clock, dbUrl: a.dbUrl });
      const reaped = new Promise((r) => b.on('lease.reaped', r));
      await b.startWorker({ handleSignals: false, leaseMs: 1000 });
      await reaped;
      expect((await b.wait(task.id, { timeoutMs: 5000 })).output).toBe('second');
      const lost = new Promise((r) => a.on('lease.lost', r));
      release();
      expect(await lost).toMatchObject({ taskId: task.id });
      const final = await b.get(task.id);
      expect(final).toMatchObject({ status: 'completed', output: 'second' });
      expect(final.progressMessage).not.toBe('late progress');
      const history = await b.history(task.id);
      expect(history.filter((h) => h.to === 'completed')).toHaveLength(1);
      expect(history.map((h) => h.to)).toEqual([
        'queued',
        'running',
        'queued',
        'running',
        'completed',
      ]);
      expect((await b.executions(task.id)).map((e) => e.outcome)).toEqual(['crashed', 'completed']);
    });
  });
});
