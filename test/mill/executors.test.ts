import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, type LogEntry, type Task, type Taskmill } from '../../src/index.ts';
import { opensMill } from '../fixtures/executor-side-effect.ts';
import { executorTasks, KINDS } from '../fixtures/executor-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { processAlive } from '../helpers/process-alive.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Mill = Taskmill<typeof executorTasks>;
type Type = (typeof executorTasks)[number]['name'];

async function run(mill: Mill, type: Type, input: unknown): Promise<Task> {
  const task = await mill.submit(type, input as never);
  return mill.wait(task.id, { timeoutMs: 20_000 });
}

async function member(mill: Mill, id: string): Promise<{ pid: number; threadId: number }> {
  const executions = await mill.executions(id);
  const metrics: Record<string, number> = executions.at(-1)?.metrics ?? {};
  return { pid: metrics['executorPid'] ?? 0, threadId: metrics['executorThreadId'] ?? 0 };
}

forEachBackend((backend) => {
  const open = useMills(backend);

  describe.each(KINDS)('executor %s', (kind) => {
    async function start(options: Parameters<Mill['startWorker']>[0] = {}) {
      const mill = await open(executorTasks);
      const worker = await mill.startWorker({
        concurrency: 4,
        handleSignals: false,
        ...options,
        executors: { [kind]: { size: 1, heapLimitMb: 96 }, ...options.executors },
      });
      return { mill, worker };
    }

    it('runs the handler outside the worker, with input and output checked by their schemas', async () => {
      const { mill } = await start();
      const done = await run(mill, `echo.${kind}`, { n: 21 });
      expect(done.status).toBe('completed');
      const output = done.output as { n: number; pid: number; threadId: number };
      expect(output.n).toBe(42);
      if (kind === 'process') expect(output.pid).not.toBe(process.pid);
      else expect(output.threadId).not.toBe(0);
      expect(await member(mill, done.id)).toEqual({
        pid: output.pid,
        threadId: kind === 'thread' ? output.threadId : 0,
      });
    });

    it('brings progress, logs, metrics and an artifact back like an inline task', async () => {
      const { mill } = await start();
      const progress: number[] = [];
      mill.on('task.progress', (e) => progress.push(e.percent));
      const done = await run(mill, `report.${kind}`, {});
      expect(done.status).toBe('completed');
      expect(done.progress).toBe(100);
      expect(progress).toEqual([40, 100]);
      const logs: LogEntry[] = await mill.logs(done.id);
      expect(logs.map((l) => [l.level, l.message])).toContainEqual(['info', `hello from ${kind}`]);
      const [execution] = await mill.executions(done.id);
      expect(execution?.metrics?.['rows']).toBe(7);
      const [artifact] = await mill.artifacts(done.id);
      const bytes = readFileSync(join(mill.dataDir, artifact?.path ?? 'missing'));
      expect(bytes.toString()).toBe(`made in ${kind}`);
      expect(artifact?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect((done.output as { artifact: string }).artifact).toBe(artifact?.sha256);
    });

    it("keeps a handler's error code and whether it may be retried", async () => {
      const { mill } = await start();
      const final = await run(mill, `fail.${kind}`, { retryable: false });
      expect(final).toMatchObject({ status: 'failed', attempt: 1 });
      const retried = await run(mill, `fail.${kind}`, { retryable: true });
      expect(retried).toMatchObject({ status: 'failed', attempt: 2 });
      expect(retried.error).toMatchObject({ code: 'UPSTREAM_503', message: 'upstream said 503' });
    });
  });
});

describe('executor tasks that cannot be loaded, and shutdown', () => {
  const open = useMills();

  it.each([
    ['executors.thread.size', { thread: { size: 0 } }],
    ['executors.process.maxTasks', { process: { maxTasks: 1.5 } }],
    ['executors.process.killGraceMs', { process: { killGraceMs: -1 } }],
  ])('refuses a bad pool option %s when the worker starts', async (path, executors) => {
    const mill = await open(executorTasks);
    await expect(mill.startWorker({ handleSignals: false, executors })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      details: { issues: [{ path }] },
    });
  });

  it('fails a task its module does not define, with no retry', async () => {
    const ghost = defineTask({
      name: 'ghost.thread',
      executor: 'thread',
      module: new URL('../fixtures/executor-tasks.ts', import.meta.url),
      input: z.object({}),
      run: () => null,
    });
    const mill = await open([ghost]);
    await mill.startWorker({ handleSignals: false, executors: { thread: { size: 1 } } });
    const task = await mill.submit('ghost.thread', {});
    const done = await mill.wait(task.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'failed', attempt: 1 });
    expect(done.error?.code).toBe('TASK_DEFINITION_INVALID');
    expect(done.error?.message).toMatch(/"ghost\.thread" is not defined when .*executor-tasks\.ts/);
  });

  it('refuses to open a taskmill inside a pool when the task module opens one', async () => {
    const mill = await open([opensMill]);
    await mill.startWorker({ handleSignals: false, executors: { thread: { size: 1 } } });
    const task = await mill.submit('opens-mill.thread', {});
    const done = await mill.wait(task.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'failed', attempt: 1 });
    expect(done.error?.code).toBe('TASKS_MODULE_INVALID');
    expect(done.error?.message).toMatch(/inside a thread or process executor/);
  });

  it('gives a running process task back at shutdown and kills its process', async () => {
    const mill = await open(executorTasks);
    const worker = await mill.startWorker({
      handleSignals: false,
      executors: { process: { size: 1, killGraceMs: 100 } },
    });
    const task = await mill.submit('burn.process', { ms: 60_000 } as never);
    const pid = await waitFor(
      'the process to start the task',
      () => worker.pools()[0]?.members[0]?.pid,
    );
    await worker.stop({ graceMs: 100 });
    expect(processAlive(pid)).toBe(false);
    const back = await mill.get(task.id);
    expect(back).toMatchObject({ status: 'queued', attempt: 0 });
  });
});
