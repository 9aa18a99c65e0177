/**
 * The commands that steer tasks and queues, and the submit flags that read input from a file or
 * stdin or set a start time: a child process per command on a temp SQLite file, no worker.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

let box: Sandbox;

function cli(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--database', box.database], { cwd: box.dir });
}

async function submitted(
  args: string[],
  stdin?: string,
): Promise<{ id: string; input: unknown; runAt: string; timeout: unknown }> {
  const result = await runCli(
    ['submit', ...args, '--json', '--tasks', FIXTURE_TASKS, '--database', box.database],
    { cwd: box.dir, stdin },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function expectError(result: CliResult, exitCode: number, code: string): void {
  expect(result.code, result.stderr).toBe(exitCode);
  expect(result.stderr).toMatch(new RegExp(`^error ${code}: .+\\n$`));
}

beforeAll(() => {
  box = makeSandbox();
});
afterAll(() => box.cleanup());

describe('submit input and start time', () => {
  it('reads --input @file and --input - (stdin)', async () => {
    const file = path.join(box.dir, 'input.json');
    writeFileSync(file, '{"text":"from a file"}');
    expect((await submitted(['t.echo', '--input', `@${file}`])).input).toEqual({
      text: 'from a file',
    });
    expect((await submitted(['t.echo', '--input', '-'], '{"text":"from stdin"}\n')).input).toEqual({
      text: 'from stdin',
    });
  });

  it('refuses an --input file that cannot be read, naming it', async () => {
    const result = await cli('submit', 't.echo', '--input', '@nope.json', '--tasks', FIXTURE_TASKS);
    expectError(result, 2, 'CLI_INPUT_INVALID');
    expect(result.stderr).toContain('@nope.json: cannot read the file (ENOENT)');
  });

  it('sets --run-at, and refuses a time it cannot read or one given with --delay', async () => {
    const task = await submitted([
      't.echo',
      '--input',
      '{"text":"later"}',
      '--run-at',
      '2030-01-02T03:04:05Z',
    ]);
    expect(task.runAt).toBe('2030-01-02T03:04:05.000Z');
    expectError(
      await cli('submit', 't.echo', '--run-at', 'soon', '--tasks', FIXTURE_TASKS),
      2,
      'CLI_INPUT_INVALID',
    );
    expectError(
      await cli(
        'submit',
        't.echo',
        '--run-at',
        '2030-01-01',
        '--delay',
        '5',
        '--tasks',
        FIXTURE_TASKS,
      ),
      2,
      'CLI_INPUT_INVALID',
    );
  });
});

describe('submit --timeout', () => {
  it("stores the task's own timeouts, and refuses one it cannot read", async () => {
    const task = await submitted([
      't.echo',
      '-i',
      '{"text":"t"}',
      '--timeout',
      '5m',
      '--soft-timeout',
      '30s',
    ]);
    expect(task.timeout).toEqual({ hardMs: 300_000, softMs: 30_000 });
    expectError(
      await cli('submit', 't.echo', '--timeout', 'forever', '--tasks', FIXTURE_TASKS),
      2,
      'CLI_INPUT_INVALID',
    );
  });
});

describe('ls --search', () => {
  it('lists only the tasks with the text in their input', async () => {
    const needle = await submitted(['t.echo', '--input', '{"text":"a needle in the hay"}']);
    const result = await cli('ls', '--search', 'NEEDLE', '--json');
    expect(result.code, result.stderr).toBe(0);
    const ids = (JSON.parse(result.stdout) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
    expect(ids).toEqual([needle.id]);
  });
});

describe('queue', () => {
  const queue = async () =>
    (
      JSON.parse((await cli('queues', '--json')).stdout) as {
        name: string;
        paused: boolean;
        concurrency: number | null;
      }[]
    ).find((q) => q.name === 'default');

  it('pauses and resumes a queue, and sets and lifts its concurrency limit', async () => {
    const paused = await cli('queue', 'pause', 'default');
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toBe('queue default: paused, no limit\n');
    expect(await queue()).toMatchObject({ paused: true });
    expect((await cli('queue', 'concurrency', 'default', '3')).stdout).toBe(
      'queue default: paused, at most 3 at once\n',
    );
    expect((await cli('queue', 'resume', 'default')).code).toBe(0);
    expect(await queue()).toMatchObject({ paused: false, concurrency: 3 });
    expect((await cli('queue', 'concurrency', 'default', 'none')).code).toBe(0);
    expect(await queue()).toMatchObject({ concurrency: null });
  });

  it('refuses a limit of 0 and a bad queue name', async () => {
    expectError(await cli('queue', 'concurrency', 'default', '0'), 2, 'CLI_INPUT_INVALID');
    expectError(await cli('queue', 'pause', 'no spaces'), 2, 'QUEUE_NAME_INVALID');
    expect(await queue()).toMatchObject({ paused: false, concurrency: null });
  });
});

describe('priority, delete, purge', () => {
  it('changes the priority of a waiting task', async () => {
    const task = await submitted(['t.echo', '--input', '{"text":"p"}']);
    const result = await cli('priority', task.id, 'critical', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: task.id, priority: 'critical' });
    expectError(await cli('priority', task.id, 'urgent'), 2, 'CLI_INPUT_INVALID');
    expectError(
      await cli('priority', '01900000-0000-7000-8000-000000000000', 'low'),
      3,
      'TASK_NOT_FOUND',
    );
  });

  it('deletes a finished task only', async () => {
    const task = await submitted(['t.echo', '--input', '{"text":"d"}']);
    expectError(await cli('delete', task.id), 4, 'TASK_ILLEGAL_TRANSITION');
    expect((await cli('cancel', task.id)).code).toBe(0);
    const deleted = await cli('delete', task.id);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`deleted ${task.id}\n`);
    expectError(await cli('show', task.id), 3, 'TASK_NOT_FOUND');
  });

  it('purges finished tasks older than the cutoff, and keeps the rest', async () => {
    const done = await submitted(['t.echo', '--input', '{"text":"old"}']);
    const waiting = await submitted(['t.echo', '--input', '{"text":"waits"}']);
    expect((await cli('cancel', done.id)).code).toBe(0);
    const none = await cli('purge', '--older-than', '1h', '--json');
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ deleted: 0, olderThanMs: 3_600_000 });
    const purged = await cli('purge', '--older-than', '0s', '--status', 'cancelled');
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toMatch(/^deleted [1-9]\d* task\(s\) \(cancelled\)/);
    expectError(await cli('show', done.id), 3, 'TASK_NOT_FOUND');
    expect((await cli('show', waiting.id)).code).toBe(0);
  });

  it('refuses a purge without a cutoff, or of tasks that have not finished', async () => {
    expectError(await cli('purge'), 2, 'CLI_INPUT_INVALID');
    expectError(await cli('purge', '--older-than', 'a week'), 2, 'CLI_INPUT_INVALID');
    expectError(
      await cli('purge', '--older-than', '1d', '--status', 'queued'),
      2,
      'CLI_INPUT_INVALID',
    );
  });
});
