/**
 * `taskmill pipelines` as a user runs it: a child process per command against a temp SQLite file,
 * with a `taskmill worker` child loaded with the same tasks module moving the runs on.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { CliProcess, type CliResult, makeSandbox, runCli, type Sandbox } from './helpers.ts';

const PIPELINES = fileURLToPath(new URL('./fixtures/pipelines.ts', import.meta.url));
const UNKNOWN_RUN = '01900000-0000-7000-8000-000000000000';

interface JsonRun {
  id: string;
  pipeline: string;
  status: string;
  cancelRequested: boolean;
  output: Record<string, unknown> | null;
  steps: { name: string; status: string }[];
}

let box: Sandbox;
let worker: CliProcess;

function cli(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--tasks', PIPELINES, '--database', box.database], {
    cwd: box.dir,
    timeoutMs: 20_000,
  });
}

function expectError(result: CliResult, exitCode: number, code: string): void {
  expect(result.code, result.stderr).toBe(exitCode);
  expect(result.stderr).toMatch(new RegExp(`^error ${code}: .+\\n$`));
  expect(result.stdout).toBe('');
}

async function runJson(...args: string[]): Promise<JsonRun> {
  const result = await cli(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonRun;
}

async function runCount(): Promise<number> {
  const result = await cli('pipelines', 'ls', '--runs', '--json', '--limit', '1000');
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { runs: unknown[] }).runs.length;
}

beforeAll(async () => {
  box = makeSandbox();
  worker = new CliProcess(
    ['worker', '--quiet', '--no-scheduler', '--tasks', PIPELINES, '--database', box.database],
    { cwd: box.dir },
  );
  await worker.waitForOutput(/stop with Ctrl-C/);
});

afterAll(async () => {
  await worker?.stop('SIGTERM');
  box.cleanup();
});

describe('pipelines run --wait', () => {
  it('follows a run to completed and exits 0, printing its output', async () => {
    const result = await cli('pipelines', 'run', 'squares', '--input', '{"count":4}', '--wait');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^started run [0-9a-f-]{36} \(squares, 4 steps; waiting/);
    expect(result.stdout).toMatch(/^completed in \S+; output: .*"total":30/m);
  });

  it('exits 10 when the run fails, naming the failed step and its error', async () => {
    const result = await cli('pipelines', 'run', 'breaks', '--wait');
    expect(result.code, result.stderr).toBe(10);
    expect(result.stdout).toMatch(
      /^failed in \S+ \(steps 2\/2\): step second: \S+: fails on purpose$/m,
    );
  });

  it('with --json prints only the final run', async () => {
    const run = await runJson('pipelines', 'run', 'squares', '--input', '{"count":2}', '--wait');
    expect(run).toMatchObject({ pipeline: 'squares', status: 'completed' });
    expect(run.output).toMatchObject({ total: 5 });
  });

  it('runs one run per item of --inputs as a batch, and exits 0 once all completed', async () => {
    const result = await cli(
      'pipelines',
      'run',
      'squares',
      '--inputs',
      '[{"count":1},{"count":3}]',
      '--wait',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^started 2 runs of squares, batch [0-9a-f-]{36}:/);
    expect(result.stdout).toMatch(/^ *0 +\S+ +completed +\{.*"total":1/m);
    expect(result.stdout).toMatch(/^ *1 +\S+ +completed +\{.*"total":14/m);
  });
});

describe('ls --run --step', () => {
  it("lists a run's tasks, and a map step's task with its items", async () => {
    const run = await runJson('pipelines', 'run', 'squares', '--input', '{"count":3}', '--wait');
    const ls = async (...args: string[]) => {
      const result = await cli('ls', '--run', run.id, ...args, '--json');
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { tasks: { type: string; status: string }[] }).tasks;
    };
    const mapped = await ls('--step', 'squares');
    // The step's own task and its three items, all of the step's task type.
    expect(mapped).toHaveLength(4);
    expect(new Set(mapped.map((t) => t.type))).toEqual(new Set(['p.square']));
    expect((await ls()).length).toBe(run.steps.length + 3);
    expect(await ls('--step', 'nope')).toEqual([]);
  });
});

describe('pipelines run: refusals start nothing', () => {
  it('refuses malformed --input JSON with exit 2', async () => {
    const before = await runCount();
    const result = await cli('pipelines', 'run', 'squares', '--input', '{"count": oops}');
    expectError(result, 2, 'CLI_INPUT_INVALID');
    expect(result.stderr).toContain('--input is not valid JSON');
    expect(await runCount()).toBe(before);
  });

  it("refuses an input that breaks the pipeline's schema with exit 2, naming the field", async () => {
    const before = await runCount();
    const result = await cli('pipelines', 'run', 'squares', '--input', '{"count":"four"}');
    expectError(result, 2, 'PIPELINE_INPUT_INVALID');
    expect(result.stderr).toContain('input.count');
    expect(await runCount()).toBe(before);
  });

  it('refuses an unknown pipeline with exit 3, listing the known ones', async () => {
    const result = await cli('pipelines', 'run', 'nope', '--input', '{}');
    expectError(result, 3, 'PIPELINE_NOT_FOUND');
    expect(result.stderr).toContain('squares');
  });

  it('refuses --inputs that is not a list', async () => {
    const result = await cli('pipelines', 'run', 'squares', '--inputs', '{"count":1}');
    expectError(result, 2, 'CLI_INPUT_INVALID');
  });
});

describe('pipelines ls and show', () => {
  let run: JsonRun;

  beforeAll(async () => {
    run = await runJson(
      'pipelines',
      'run',
      'squares',
      '--input',
      '{"count":3,"shout":false}',
      '--wait',
    );
  });

  it('lists the registered pipelines and the recent runs', async () => {
    const result = await cli('pipelines', 'ls');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^squares +parallel +failFast +4 +rows → squares\[map ×2\] → total → shout$/m,
    );
    expect(result.stdout).toMatch(new RegExp(`^${run.id} +squares +completed +4/4 +3/3 `, 'm'));
    const json = await cli('pipelines', 'ls', '--json', '--status', 'failed');
    const page = JSON.parse(json.stdout) as { pipelines: { name: string }[]; runs: JsonRun[] };
    expect(page.pipelines.map((p) => p.name).sort()).toEqual(['breaks', 'sleepy', 'squares']);
    expect(page.runs.length).toBeGreaterThan(0);
    expect(page.runs.every((r) => r.status === 'failed')).toBe(true);
  });

  it("refuses a --status that is not a run's", async () => {
    expectError(await cli('pipelines', 'ls', '--status', 'queued'), 2, 'CLI_INPUT_INVALID');
  });

  it('draws the graph with each step and its status', async () => {
    const result = await cli('pipelines', 'show', run.id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^status +completed$/m);
    expect(result.stdout).toMatch(/^progress +steps 4\/4, items 3\/3$/m);
    expect(result.stdout).toMatch(/^layer 1 +└─ rows +✓ completed +p\.rows$/m);
    expect(result.stdout).toMatch(
      /^layer 2 +├─ squares +✓ completed +items 3\/3 +p\.square +← rows$/m,
    );
    expect(result.stdout).toMatch(/^ +└─ shout +↷ skipped +p\.sum +← rows$/m);
    expect(result.stdout).toMatch(/^layer 3 +└─ total +✓ completed +p\.sum +← squares$/m);
    // Not a terminal: no colour codes.
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('prints { run, graph } with --json, and follows to the end with --watch', async () => {
    const json = await cli('pipelines', 'show', run.id, '--json');
    const shown = JSON.parse(json.stdout) as { run: JsonRun; graph: { edges: unknown[] } };
    expect(shown.run.id).toBe(run.id);
    expect(shown.graph.edges).toHaveLength(3);
    const watched = await cli('pipelines', 'show', run.id, '--watch');
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('└─ total');
  });

  it('exits 3 for a run that does not exist', async () => {
    expectError(await cli('pipelines', 'show', UNKNOWN_RUN), 3, 'PIPELINE_RUN_NOT_FOUND');
  });
});

describe('pipelines cancel and resume', () => {
  it('cancels a running run, refuses a second cancel, resumes it, and refuses resuming a running one', async () => {
    const run = await runJson('pipelines', 'run', 'sleepy', '--input', '{"ms":60000}');
    await waitFor('the long step to start', async () => {
      const shown = await runJson('pipelines', 'show', run.id);
      return (shown as unknown as { run: JsonRun }).run.steps[0]?.status === 'running';
    });
    const cancel = await cli('pipelines', 'cancel', run.id, '--reason', 'test');
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^run ${run.id}: (cancel requested|cancelled)`));
    const ended = await waitFor('the run to end cancelled', async () => {
      const { run: now } = (await runJson('pipelines', 'show', run.id)) as unknown as {
        run: JsonRun;
      };
      return now.status === 'cancelled' ? now : undefined;
    });
    expect(ended.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expectError(await cli('pipelines', 'cancel', run.id), 4, 'PIPELINE_RUN_STATE');

    const resume = await cli('pipelines', 'resume', run.id);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(new RegExp(`^run ${run.id} resumed: running`));
    expectError(await cli('pipelines', 'resume', run.id), 4, 'PIPELINE_RUN_STATE');

    // Cancelled again, the resumed run ends with exit 12 for a watcher.
    expect((await cli('pipelines', 'cancel', run.id)).code).toBe(0);
    const watched = await cli('pipelines', 'show', run.id, '--watch');
    expect(watched.code, watched.stderr).toBe(12);
  });

  it('exits 3 for a run that does not exist', async () => {
    expectError(await cli('pipelines', 'cancel', UNKNOWN_RUN), 3, 'PIPELINE_RUN_NOT_FOUND');
    expectError(await cli('pipelines', 'resume', UNKNOWN_RUN), 3, 'PIPELINE_RUN_NOT_FOUND');
  });
});

describe('pipelines through a server (--server)', () => {
  let other: Sandbox;
  let serve: CliProcess;
  let url: string;

  beforeAll(async () => {
    other = makeSandbox();
    serve = new CliProcess(
      [
        'serve',
        '--port',
        '0',
        '--quiet',
        '--no-scheduler',
        '--tasks',
        PIPELINES,
        '--database',
        other.database,
      ],
      { cwd: other.dir },
    );
    const match = await serve.waitForOutput(/HTTP API: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/);
    url = match[1] as string;
  });

  afterAll(async () => {
    await serve?.stop('SIGTERM');
    other?.cleanup();
  });

  const remote = (...args: string[]) =>
    runCli([...args, '--server', url], { cwd: other.dir, timeoutMs: 20_000 });

  it('runs, waits for and draws a run with the exit codes of the database', async () => {
    const done = await remote('pipelines', 'run', 'squares', '--input', '{"count":2}', '--wait');
    expect(done.code, done.stderr).toBe(0);
    const id = /^started run (\S+)/.exec(done.stdout)?.[1] ?? '';
    const show = await remote('pipelines', 'show', id);
    expect(show.stdout).toMatch(/^layer 3 +└─ total +✓ completed +p\.sum +← squares$/m);
    expect((await remote('pipelines', 'run', 'breaks', '--wait')).code).toBe(10);
    expectError(await remote('pipelines', 'run', 'nope'), 3, 'PIPELINE_NOT_FOUND');
    expectError(await remote('pipelines', 'resume', id), 4, 'PIPELINE_RUN_STATE');
  });
});
