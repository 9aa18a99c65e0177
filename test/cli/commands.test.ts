/**
 * The one-shot commands against a temp SQLite file, run as a user runs them: a child process per
 * command. No worker runs here, so submitted tasks stay queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

let box: Sandbox;

function cli(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--database', box.database], { cwd: box.dir });
}

function submit(...args: string[]): Promise<CliResult> {
  return cli('submit', ...args, '--tasks', FIXTURE_TASKS);
}

async function taskCount(): Promise<number> {
  const result = await cli('stats', '--json');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { total: number }).total;
}

function expectError(result: CliResult, exitCode: number, code: string): void {
  expect(result.code, result.stderr).toBe(exitCode);
  expect(result.stderr).toMatch(new RegExp(`^error ${code}: .+\\n$`));
  expect(result.stdout).toBe('');
}

interface JsonTask {
  id: string;
  type: string;
  status: string;
  priority: string;
  input: unknown;
}

let first: JsonTask;
let second: JsonTask;

beforeAll(async () => {
  box = makeSandbox();
  const text = await submit('t.echo', '--input', '{"text":"one"}');
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/^submitted [0-9a-f-]{36} \(t\.echo, queued/);
  const json = await submit('t.echo', '-i', '{"text":"two"}', '--priority', 'high', '--json');
  expect(json.code, json.stderr).toBe(0);
  second = JSON.parse(json.stdout) as JsonTask;
  const ls = await cli('ls', '--json');
  const page = JSON.parse(ls.stdout) as { tasks: JsonTask[] };
  first = page.tasks.find((t) => t.id !== second.id) as JsonTask;
});

afterAll(() => box.cleanup());

describe('submit', () => {
  it('prints the stored task as JSON with --json', () => {
    expect(second).toMatchObject({ type: 't.echo', status: 'queued', priority: 'high' });
    expect(second.input).toEqual({ text: 'two' });
  });

  it('rejects malformed --input JSON, naming the position, and writes nothing', async () => {
    const before = await taskCount();
    const result = await submit('t.echo', '--input', '{"text": oops}');
    expectError(result, 2, 'CLI_INPUT_INVALID');
    expect(result.stderr).toMatch(/--input is not valid JSON: .*position 9/);
    expect(await taskCount()).toBe(before);
  });

  it('rejects an unknown task type with exit code 2', async () => {
    const before = await taskCount();
    const result = await submit('t.nope', '--input', '{}');
    expectError(result, 2, 'TASK_TYPE_UNKNOWN');
    expect(result.stderr).toContain('t.echo');
    expect(await taskCount()).toBe(before);
  });

  it('rejects input that breaks the schema, naming the field', async () => {
    const before = await taskCount();
    const result = await submit('t.echo', '--input', '{"text":42}');
    expectError(result, 2, 'TASK_INPUT_INVALID');
    expect(result.stderr).toContain('input.text');
    expect(await taskCount()).toBe(before);
  });

  it('rejects bad option values before touching the database', async () => {
    expectError(
      await submit('t.echo', '-i', '{"text":"x"}', '--priority', 'urgent'),
      2,
      'CLI_INPUT_INVALID',
    );
    expectError(
      await submit('t.echo', '-i', '{"text":"x"}', '--delay', '-5'),
      2,
      'CLI_INPUT_INVALID',
    );
    expectError(await submit('t.echo', '-i', '{"text":"x"}', '--bogus'), 2, 'CLI_INPUT_INVALID');
  });

  it('makes a task wait on others with --depends-on, and refuses an unknown one', async () => {
    const before = await taskCount();
    const child = await submit(
      't.echo',
      '-i',
      '{"text":"after"}',
      '--depends-on',
      first.id,
      '--json',
    );
    expect(child.code, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ status: 'pending' });
    const unknown = '0190a000-0000-7000-8000-00000000dead';
    expectError(
      await submit('t.echo', '-i', '{"text":"x"}', '--depends-on', unknown),
      3,
      'DEPENDENCY_NOT_FOUND',
    );
    expect(await taskCount()).toBe(before + 1);
  });

  it('needs a tasks module, and says how to give one', async () => {
    const result = await cli('submit', 't.echo', '--input', '{"text":"x"}');
    expectError(result, 2, 'TASKS_MODULE_INVALID');
    expect(result.stderr).toContain('--tasks');
  });

  it('refuses a tasks module without definitions', async () => {
    const empty = FIXTURE_TASKS.replace(/tasks\.ts$/, 'no-definitions.ts');
    const result = await cli('submit', 't.echo', '-i', '{}', '--tasks', empty);
    expectError(result, 2, 'TASKS_MODULE_INVALID');
    expect(result.stderr).toContain('no-definitions.ts');
  });
});

describe('ls', () => {
  it('prints a table without a tasks module', async () => {
    const result = await cli('ls');
    expect(result.code, result.stderr).toBe(0);
    // No task here has a name: the NAME column is left out.
    expect(result.stdout).toMatch(/^ID\s+TYPE\s+STATUS/);
    expect(result.stdout).toContain(first.id);
    expect(result.stdout).toContain(second.id);
  });

  it('filters and pages with --json', async () => {
    const page1 = JSON.parse(
      (await cli('ls', '--type', 't.echo', '--limit', '1', '--json')).stdout,
    );
    expect(page1.tasks).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = JSON.parse(
      (await cli('ls', '--type', 't.echo', '--limit', '1', '--cursor', page1.nextCursor, '--json'))
        .stdout,
    );
    expect(page2.tasks).toHaveLength(1);
    expect(page2.tasks[0].id).not.toBe(page1.tasks[0].id);
    const none = JSON.parse((await cli('ls', '--status', 'failed', '--json')).stdout);
    expect(none.tasks).toEqual([]);
    // "one" is in the first task's input, and no task has a name: --name looks at names only.
    const searched = JSON.parse((await cli('ls', '--search', 'one', '--json')).stdout);
    expect(searched.tasks.map((t: { id: string }) => t.id)).toEqual([first.id]);
    const named = JSON.parse((await cli('ls', '--name', 'one', '--json')).stdout);
    expect(named.tasks).toEqual([]);
    // No worker runs here, so none holds a task.
    const held = JSON.parse((await cli('ls', '--worker', 'worker-1', '--json')).stdout);
    expect(held.tasks).toEqual([]);
  });

  it('rejects an unknown status', async () => {
    expectError(await cli('ls', '--status', 'done'), 2, 'CLI_INPUT_INVALID');
  });

  it('reads the database from TASKMILL_DATABASE', async () => {
    const result = await runCli(['ls', '--json'], {
      cwd: box.dir,
      env: { TASKMILL_DATABASE: box.database },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).tasks.length).toBeGreaterThanOrEqual(2);
  });
});

describe('show, logs', () => {
  it('shows the task with its history', async () => {
    const result = await cli('show', first.id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^id\s+[0-9a-f-]{36}/);
    expect(result.stdout).toMatch(/history\nAT\s+FROM\s+TO/);
    expect(result.stdout).toContain('submitted');
  });

  it('shows the task as JSON', async () => {
    const detail = JSON.parse((await cli('show', first.id, '--json')).stdout);
    expect(detail.task.id).toBe(first.id);
    expect(detail.history[0]).toMatchObject({ from: null, to: 'queued' });
    expect(detail.executions).toEqual([]);
    expect(detail.artifacts).toEqual([]);
  });

  it('prints no log lines for a task that has not run', async () => {
    const text = await cli('logs', first.id);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('');
    expect(JSON.parse((await cli('logs', first.id, '--json')).stdout)).toEqual([]);
  });

  it('answers an unknown id with exit code 3', async () => {
    const id = '00000000-0000-7000-8000-000000000000';
    for (const command of ['show', 'logs', 'cancel', 'retry']) {
      expectError(await cli(command, id), 3, 'TASK_NOT_FOUND');
    }
  });
});

describe('cancel, retry, stats', () => {
  it('cancels a queued task, then refuses to cancel it again', async () => {
    const result = await cli('cancel', first.id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`cancelled ${first.id} (t.echo)\n`);
    const again = await cli('cancel', first.id, '--json');
    expectError(again, 4, 'TASK_ILLEGAL_TRANSITION');
  });

  it('retries a cancelled task, and refuses to retry a queued one', async () => {
    const result = await cli('retry', first.id, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: first.id, status: 'queued' });
    expectError(await cli('retry', second.id), 4, 'TASK_ILLEGAL_TRANSITION');
  });

  it('prints stats as text and JSON', async () => {
    const text = await cli('stats');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^tasks\s+\d+/);
    expect(text.stdout).toMatch(/TYPE\s+QUEUED/);
    const json = JSON.parse((await cli('stats', '--json')).stdout);
    expect(json.byStatus.queued).toBeGreaterThanOrEqual(2);
    expect(json.byType['t.echo']).toBeDefined();
  });
});

describe('usage', () => {
  it('prints help and exits 0 with --help', async () => {
    const result = await runCli(['--help'], { cwd: box.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes');
  });

  it('exits 2 on an unknown command', async () => {
    expectError(await runCli(['frobnicate'], { cwd: box.dir }), 2, 'CLI_INPUT_INVALID');
  });

  it('exits 5 on a database URL it cannot use', async () => {
    const result = await runCli(['ls', '--database', 'mysql://nope'], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/^error DATABASE_\w+: /);
  });
});
