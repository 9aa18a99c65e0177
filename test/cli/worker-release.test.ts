/**
 * Graceful SIGTERM across two workers, as an operator does it: the first SIGTERM lets running
 * tasks finish within the grace period; a second one gives them back at once, and the other
 * worker starts them within a second instead of after the lease.
 */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { waitFor } from '../helpers/wait-for.ts';
import * as fixture from './fixtures/tasks.ts';
import { CliProcess, FIXTURE_TASKS, makeSandbox } from './helpers.ts';

/** How long a worker process may take to say it started. */
const STARTUP_MS = 60_000;

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('a second SIGTERM', () => {
    it('releases running tasks at once, and another worker starts them within a second', async () => {
      const mill = await open(fixture.default);
      const box = makeSandbox();
      const worker = (name: string, grace: string) =>
        new CliProcess(
          [
            'worker',
            '--name',
            name,
            '--grace',
            grace,
            '--poll',
            '100',
            '--lease',
            '30s',
            '--tasks',
            FIXTURE_TASKS,
            '--database',
            mill.dbUrl,
          ],
          { cwd: box.dir },
        );
      const a = worker('first', '60s');
      let b: CliProcess | null = null;
      try {
        const tasks = await mill.submitMany([
          { type: 't.nap', input: { ms: 120_000 } },
          { type: 't.nap', input: { ms: 120_000 } },
        ]);
        // A start is a second or two; CI's full run, two test files and their children on two
        // cores, once kept one silent for 20 s.
        await a.waitForOutput(/^worker \S+ started/m, STARTUP_MS);
        const aId = /^worker (\S+) started/m.exec(a.stdout)?.[1];
        await waitFor(
          'both tasks running at the first worker',
          async () => {
            const now = await Promise.all(tasks.map((t) => mill.get(t.id)));
            return now.every((t) => t.status === 'running' && t.workerId === aId);
          },
          { timeoutMs: 20_000 },
        );
        // Started once the first holds both, so that it has nothing to take until they come back.
        b = worker('second', '10s');
        await b.waitForOutput(/^worker \S+ started/m, STARTUP_MS);
        const bId = /^worker (\S+) started/m.exec(b.stdout)?.[1];

        a.child.kill('SIGTERM');
        await a.waitForOutput(/SIGTERM: stopping worker/);
        // Within the grace period the tasks stay where they run.
        expect((await mill.get(tasks[0]?.id ?? '')).workerId).toBe(aId);
        const secondAt = Date.now();
        expect(await a.stop('SIGTERM', 15_000)).toBe(130);
        expect(a.stderr).toContain('SIGTERM again: releasing running tasks now');

        for (const task of tasks) {
          const started = await waitFor(
            `${task.id} to start at the second worker`,
            async () => {
              const history = await mill.history(task.id);
              return history.find((h) => h.to === 'running' && h.workerId === bId);
            },
            { timeoutMs: 10_000 },
          );
          expect(
            started.at.getTime() - secondAt,
            'from the second SIGTERM to the restart',
          ).toBeLessThan(1_000);
          const executions = await mill.executions(task.id);
          // Given back without using an attempt.
          expect(executions.map((e) => [e.outcome, e.workerId])).toEqual([
            ['released', aId],
            [null, bId],
          ]);
          expect((await mill.get(task.id)).attempt).toBe(1);
        }
      } finally {
        await a.stop('SIGKILL');
        await b?.stop('SIGKILL');
        box.cleanup();
      }
    }, 180_000);
  });
});
