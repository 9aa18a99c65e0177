import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Task, Taskmill } from '../../src/index.ts';
import { executorTasks, KINDS } from '../fixtures/executor-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { useMills } from '../helpers/mill.ts';
import { processAlive } from '../helpers/process-alive.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Mill = Taskmill<typeof executorTasks>;
type Type = (typeof executorTasks)[number]['name'];

const alive = processAlive;

async function run(mill: Mill, type: Type, input: unknown): Promise<Task> {
  const task = await mill.submit(type, input as never);
  return mill.wait(task.id, { timeoutMs: 20_000 });
}

async function memberOf(mill: Mill, id: string): Promise<string> {
  const metrics: Record<string, number> = (await mill.executions(id)).at(-1)?.metrics ?? {};
  return `${metrics['executorPid']}/${metrics['executorThreadId'] ?? 0}`;
}

const CRASHES = {
  uncaught: /threw an uncaught error: kaboom in a timer/,
  rejection: /threw an uncaught error: nobody caught me/,
  exit: /exited with code 7/,
  oom: /ran out of memory|SIGABRT.*out of memory/,
  signal: /was killed by SIGKILL/,
} as const;

forEachBackend((backend) => {
  const open = useMills(backend);

  describe.each(KINDS)('executor %s', (kind) => {
    async function start(pool: Record<string, number> = {}) {
      const mill = await open(executorTasks);
      const worker = await mill.startWorker({
        concurrency: 4,
        handleSignals: false,
        executors: { [kind]: { size: 1, heapLimitMb: 64, killGraceMs: 200, ...pool } },
      });
      return { mill, worker };
    }

    const crashes = Object.entries(CRASHES).filter(
      // A signal sent from a thread reaches the whole process: it is a process-only crash. A
      // thread's out-of-memory case runs in a process of its own (below).
      ([how]) => !(kind === 'thread' && (how === 'signal' || how === 'oom')),
    );
    it.each(crashes)(
      'a crash by %s fails only that attempt, names the cause, and the worker runs on',
      async (how, cause) => {
        const { mill } = await start();
        const before = await run(mill, `echo.${kind}`, { n: 1 });
        const crashed = await run(mill, `crash.${kind}`, { how });
        expect(crashed.status).toBe('failed');
        expect(crashed.error?.code).toBe('EXECUTOR_CRASHED');
        expect(crashed.error?.message).toMatch(cause);
        expect(crashed.error?.message).toContain(`crash.${kind}`);
        const after = await run(mill, `echo.${kind}`, { n: 2 });
        expect(after.status).toBe('completed');
        // The dead member was replaced by a new thread or process.
        expect(await memberOf(mill, after.id)).not.toBe(await memberOf(mill, before.id));
      },
    );

    it('kills a busy loop that ignores its signal at the hard timeout, and replaces it', async () => {
      const { mill } = await start();
      const spun = await run(mill, `spin.${kind}`, {});
      expect(spun.status).toBe('timed_out');
      const spinner = (await mill.executions(spun.id))[0]?.metrics?.['executorPid'] ?? 0;
      if (kind === 'process') await waitFor('the spinning process to die', () => !alive(spinner));
      const after = await run(mill, `echo.${kind}`, { n: 3 });
      expect(after.status).toBe('completed');
      expect(await memberOf(mill, after.id)).not.toBe(await memberOf(mill, spun.id));
    });

    it('sends the abort signal across: a handler that honours it keeps its member', async () => {
      // A long grace, so that a slow machine cannot turn the polite stop into a kill.
      const { mill, worker } = await start({ killGraceMs: 10_000 });
      const task = await mill.submit(`polite.${kind}`, {});
      const running = await waitFor('the polite task to start in its member', () => {
        const m = worker.pools()[0]?.members[0];
        return m?.pid ? `${m.pid}/${m.threadId}` : undefined;
      });
      await mill.cancel(task.id);
      const cancelled = await mill.wait(task.id, { timeoutMs: 10_000 });
      expect(cancelled.status).toBe('cancelled');
      const after = await run(mill, `echo.${kind}`, { n: 4 });
      // Same thread or process: it stopped on the signal and was not killed.
      expect(await memberOf(mill, after.id)).toBe(running);
      expect(worker.pools()[0]?.members[0]?.replaced).toBe(0);
    });

    it('replaces a member after maxTasks tasks', async () => {
      const { mill, worker } = await start({ maxTasks: 2 });
      const members: string[] = [];
      for (let n = 0; n < 5; n++)
        members.push(await memberOf(mill, (await run(mill, `echo.${kind}`, { n })).id));
      expect(members[0]).toBe(members[1]);
      expect(members[2]).not.toBe(members[1]);
      expect(members[2]).toBe(members[3]);
      expect(members[4]).not.toBe(members[3]);
      expect(worker.pools()[0]?.members[0]?.replaced).toBeGreaterThanOrEqual(2);
    });

    it('replaces a member whose memory passed the ceiling', async () => {
      const { mill } = await start({
        maxMemoryMb: kind === 'process' ? 160 : 40,
        heapLimitMb: 256,
      });
      const members: string[] = [];
      // Each task keeps 16 MiB of buffers and heap in its member.
      for (let n = 0; n < 8; n++)
        members.push(await memberOf(mill, (await run(mill, `hog.${kind}`, { mb: 16 })).id));
      expect(new Set(members).size).toBeGreaterThan(1);
      expect(members[0]).toBe(members[1]);
    });
  });

  it('a thread that runs out of memory fails only its attempt, and the worker runs on (in a process of its own)', async () => {
    const db = await backend.fresh('thread-oom');
    const script = fileURLToPath(new URL('./child-thread-oom.ts', import.meta.url));
    const child = new ChildScript(script, [db.url, db.dataDir]);
    try {
      const exit = await child.closed;
      expect(exit, `the child's stderr:\n${child.stderr}`).toMatchObject({ code: 0 });
      const result = JSON.parse(child.lines.at(-1) ?? '{}');
      expect(result.crashed).toMatchObject({ status: 'failed', code: 'EXECUTOR_CRASHED' });
      expect(result.crashed.message).toMatch(CRASHES.oom);
      expect(result.crashed.message).toContain('crash.thread');
      expect(result).toMatchObject({ after: 'completed', replaced: true });
    } finally {
      if (child.alive) child.child.kill('SIGKILL');
      await db.remove();
    }
  });

  it('cancel kills a running process task and the process it started within a second', async () => {
    const mill = await open(executorTasks);
    // The default grace between the abort signal and the kill.
    const worker = await mill.startWorker({
      handleSignals: false,
      executors: { process: { size: 1 } },
    });
    const task = await mill.submit('family.process', {} as never);
    const childPid = await waitFor('the task to start its child', async () => {
      const m = /child (\d+)/.exec((await mill.get(task.id)).progressMessage ?? '');
      return m ? Number(m[1]) : undefined;
    });
    const memberPid = worker.pools()[0]?.members[0]?.pid ?? 0;
    expect(alive(memberPid) && alive(childPid)).toBe(true);
    const cancelledAt = Date.now();
    await mill.cancel(task.id);
    await waitFor(
      'the process and its child to be killed',
      () => !alive(memberPid) && !alive(childPid),
      {
        timeoutMs: 1_000,
        everyMs: 10,
      },
    );
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    expect((await mill.wait(task.id)).status).toBe('cancelled');
  });
});
