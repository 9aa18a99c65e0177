import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTaskmill, defineTask, type Taskmill, type TaskmillEvents } from '../../src/index.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const report = defineTask({
  name: 'report',
  input: z.object({ n: z.number() }),
  run: async ({ n }, ctx) => {
    ctx.progress(50, 'half');
    ctx.log.info(`report ${n}`);
    return n;
  },
});

describe('events across processes (PostgreSQL)', () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let worker: Taskmill<readonly [typeof report]>;
  let watcher: Taskmill<readonly [typeof report]>;

  let artifacts: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    artifacts = tempDir();
    schema = await freshSchema('sharedevents');
    // Two instances stand for two processes: they share nothing but the database.
    worker = await createTaskmill({
      database: schema.url,
      dataDir: artifacts.path,
      tasks: [report],
    });
    watcher = await createTaskmill({
      database: schema.url,
      dataDir: artifacts.path,
      tasks: [report],
    });
  });

  afterEach(async () => {
    await worker.close();
    await watcher.close();
    await schema.drop();
    artifacts.remove();
  });

  it("one instance's listeners see the tasks another instance's worker runs", async () => {
    const statuses: TaskmillEvents['task.status'][] = [];
    const progress: TaskmillEvents['task.progress'][] = [];
    const logs: TaskmillEvents['task.log'][] = [];
    watcher.on('task.status', (e) => statuses.push(e));
    watcher.on('task.progress', (e) => progress.push(e));
    watcher.on('task.log', (e) => logs.push(e));
    await worker.startWorker({ handleSignals: false });
    // The worker learns that someone listens from the watcher's announcements (every 2 s);
    // until then its events stay home. Probe until one crosses.
    let probes = 0;
    await waitFor(
      'an event from the other instance',
      async () => {
        if (statuses.length > 0) return true;
        probes++;
        await worker.submit('report', { n: -probes });
        return false;
      },
      { timeoutMs: 10_000, everyMs: 250 },
    );
    const task = await worker.submit('report', { n: 7 });
    await waitFor('the completed event', () =>
      statuses.some((e) => e.taskId === task.id && e.to === 'completed'),
    );
    const mine = statuses.filter((e) => e.taskId === task.id);
    // The submit's event and the claim's come from two paths of the sending process: a worker
    // that claims the task the moment it is committed may report first (docs/reference/library.md).
    const transitions = mine.map((e) => `${e.from}->${e.to}`);
    expect([...transitions].sort()).toEqual([
      'null->queued',
      'queued->running',
      'running->completed',
    ]);
    expect(transitions.at(-1)).toBe('running->completed');
    expect(mine.at(-1)?.at).toBeInstanceOf(Date);
    expect(mine.find((e) => e.to === 'running')?.workerId).toEqual(expect.any(String));
    expect(progress.find((e) => e.taskId === task.id)).toMatchObject({
      percent: 50,
      message: 'half',
    });
    expect(logs.find((e) => e.taskId === task.id)).toMatchObject({
      level: 'info',
      message: 'report 7',
    });
    // The watcher's own wait() resolves from those events, not from its 200 ms poll alone.
    const next = await worker.submit('report', { n: 8 });
    expect((await watcher.wait(next.id, { timeoutMs: 5000 })).output).toBe(8);
  });

  it('does not hand an instance its own events a second time', async () => {
    const own: string[] = [];
    worker.on('task.status', (e) => own.push(`${e.from} → ${e.to}`));
    await worker.startWorker({ handleSignals: false });
    const task = await worker.submit('report', { n: 1 });
    await worker.wait(task.id, { timeoutMs: 5000 });
    // Each once. Not in a fixed order: a claim the instant the submit commits may report
    // `queued → running` before the submit reports `null → queued` (docs/reference/library.md).
    expect(own.toSorted()).toEqual(['null → queued', 'queued → running', 'running → completed']);
  });
});
