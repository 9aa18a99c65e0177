/**
 * A `taskmill worker` frozen past its lease (SIGSTOP) while another worker recovers the task:
 * once woken, its activity log says that it lost the lease, instead of saying nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { CliProcess, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

describe('a worker that lost its lease', () => {
  let box: Sandbox;
  const workers: CliProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.child.kill('SIGCONT');
      await w.stop('SIGKILL');
    }
    box.cleanup();
  });

  const startWorker = async (name: string): Promise<CliProcess> => {
    const worker = new CliProcess(
      // A short lease with the sweep of the rescuer soon after it: the test takes seconds.
      ['worker', '--name', name, '--lease', '1500', '--heartbeat', '500', '--sweep', '200'].concat([
        '--poll',
        '50',
        '--database',
        box.database,
        '--tasks',
        FIXTURE_TASKS,
      ]),
      { cwd: box.dir },
    );
    workers.push(worker);
    await worker.waitForOutput(/worker \S+ started/, 15_000);
    return worker;
  };

  it('prints a lease-lost line naming the task and itself once woken', async () => {
    box = makeSandbox();
    const frozen = await startWorker('frozen');
    const submitted = await runCli(
      ['submit', 't.steps', '--input', '{"count":10}', '--json', '--database', box.database].concat(
        ['--tasks', FIXTURE_TASKS],
      ),
      { cwd: box.dir },
    );
    const taskId = (JSON.parse(submitted.stdout) as { id: string }).id;
    await frozen.waitForOutput(new RegExp(`${taskId} {2}\\w+ → running`));
    frozen.child.kill('SIGSTOP');
    const rescuer = await startWorker('rescuer');
    await rescuer.waitForOutput(new RegExp(`${taskId} {2}running → completed`), 20_000);

    frozen.child.kill('SIGCONT');
    const [line] = await frozen.waitForOutput(
      new RegExp(`^.*${taskId} {2}lease lost \\((heartbeat|progress/log|result)\\).*$`, 'm'),
    );
    const frozenId = /worker (\S+) started/.exec(frozen.stdout)?.[1];
    expect(line).toContain('t.steps');
    expect(line).toContain('another worker may run it');
    expect(line).toMatch(/this attempt's result (will be|was) refused/);
    expect(line).toContain(`[worker ${frozenId}]`);
    // Its own log never claims the rescuer's completion.
    await waitFor('the frozen worker to settle down', () => frozen.stdout.includes('lease lost'));
    expect(frozen.stdout).not.toMatch(
      new RegExp(`${taskId} {2}running → completed {2}\\[worker ${frozenId}\\]`),
    );
  }, 40_000);
});
