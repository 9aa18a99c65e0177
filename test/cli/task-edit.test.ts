/**
 * Seed 002's task commands (issue 17): submit --name, ls with the name, --page and --total, show
 * with the name, update of a waiting task, and pause/resume of one task with a reason, while
 * `taskmill queue pause NAME` still pauses a queue. A child process per command on a temp SQLite
 * file, no worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

let box: Sandbox;

function cli(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--database', box.database], { cwd: box.dir });
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await cli(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface TaskJson {
  id: string;
  name: string | null;
  status: string;
  priority: string;
  queue: string;
  input: unknown;
  runAt: string;
}

beforeAll(() => {
  box = makeSandbox();
});
afterAll(() => box.cleanup());

describe('named tasks and numbered pages', () => {
  it('submits with --name; ls shows and searches it, pages with a total; show prints it', async () => {
    const named = await json<TaskJson>(
      'submit',
      't.echo',
      '--input',
      '{"text":"a"}',
      '--name',
      'Quarterly report',
      '--tasks',
      FIXTURE_TASKS,
    );
    expect(named.name).toBe('Quarterly report');
    for (const text of ['b', 'c']) {
      await json('submit', 't.echo', '--input', JSON.stringify({ text }), '--tasks', FIXTURE_TASKS);
    }
    const listed = await cli('ls', '--search', 'quarterly');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/NAME/);
    expect(listed.stdout).toContain('Quarterly report');
    expect(listed.stdout).toContain(named.id);

    const page = await cli('ls', '--page', '2', '--limit', '2');
    expect(page.stdout).toMatch(/page 2 of 2, 3 tasks/);
    const pageJson = await json<{ tasks: TaskJson[]; total: number }>(
      'ls',
      '--page',
      '1',
      '--limit',
      '2',
    );
    expect(pageJson.tasks).toHaveLength(2);
    expect(pageJson.total).toBe(3);
    const both = await cli('ls', '--page', '1', '--cursor', 'x');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--page or --cursor, not both/);

    const shown = await cli('show', named.id);
    expect(shown.stdout).toMatch(/name\s+Quarterly report/);
  });
});

describe('update, pause and resume', () => {
  it('updates a waiting task, checking its input against the type, and refuses an empty update', async () => {
    const task = await json<TaskJson>(
      'submit',
      't.echo',
      '--input',
      '{"text":"x"}',
      '--tasks',
      FIXTURE_TASKS,
    );
    const updated = await json<TaskJson>(
      'update',
      task.id,
      '--priority',
      'critical',
      '--name',
      'urgent',
      '--queue',
      'fast',
      '--run-at',
      '2030-01-02T03:04:05Z',
      '--input',
      '{"text":"y"}',
      '--tasks',
      FIXTURE_TASKS,
    );
    expect(updated).toMatchObject({
      priority: 'critical',
      name: 'urgent',
      queue: 'fast',
      runAt: '2030-01-02T03:04:05.000Z',
      input: { text: 'y' },
    });
    const bad = await cli('update', task.id, '--input', '{"text":""}', '--tasks', FIXTURE_TASKS);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error TASK_INPUT_INVALID: /);
    const none = await cli('update', task.id);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Nothing to update/);
  });

  it('pauses and resumes one task with a reason in its history, and leaves queue pause as it was', async () => {
    const task = await json<TaskJson>(
      'submit',
      't.echo',
      '--input',
      '{"text":"p"}',
      '--tasks',
      FIXTURE_TASKS,
    );
    const paused = await cli('pause', task.id, '--reason', 'waiting for approval');
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/paused: paused/);
    const again = await cli('pause', task.id);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/From paused an operator may set: queued, cancelled/);
    const resumed = await json<TaskJson>('resume', task.id, '--reason', 'approved');
    expect(resumed.status).toBe('queued');
    const shown = await cli('show', task.id);
    expect(shown.stdout).toContain('waiting for approval');
    expect(shown.stdout).toContain('approved');

    const queue = await cli('queue', 'pause', 'default');
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.stdout).toMatch(/paused/);
    // A queue's pause is a setting of the queue: its tasks stay queued.
    expect((await json<{ task: TaskJson }>('show', task.id)).task.status).toBe('queued');
  });
});
