/**
 * `taskmill serve` as a user runs it: a real process on a temp SQLite file with access tokens,
 * driven over HTTP by the typed client and by the CLI with `--server`, then stopped with SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ServerEvent, TaskmillError } from '../../src/index.ts';
import { CliProcess, type CliResult, makeSandbox, runCli, type Sandbox } from '../cli/helpers.ts';

const API_TASKS = fileURLToPath(new URL('../fixtures/api-tasks.ts', import.meta.url));
const TOKENS = {
  reader: 'e2e-reader-0123456789',
  writer: 'e2e-writer-0123456789',
  admin: 'e2e-admin-0123456789',
};
const good = { url: 'https://example.com/a.png', width: 320 };

let box: Sandbox;
let serve: CliProcess;
let url: string;

beforeAll(async () => {
  box = makeSandbox();
  serve = new CliProcess(
    ['serve', '--port', '0', '--tasks', API_TASKS, '--database', box.database, '--quiet'],
    {
      cwd: box.dir,
      env: {
        TASKMILL_TOKENS: `${TOKENS.reader}:read ${TOKENS.writer}:read,write ${TOKENS.admin}:admin`,
      },
    },
  );
  const banner = await serve.waitForOutput(/HTTP API: (http:\/\/\S+)\/api\/v1/, 20_000);
  url = banner[1] ?? '';
  await serve.waitForOutput(/stop with Ctrl-C/);
});

afterAll(async () => {
  // Only when a test failed before the SIGTERM test stopped it.
  await serve?.stop('SIGKILL');
  box?.cleanup();
});

const reader = () => createClient({ url, token: TOKENS.reader });
const writer = () => createClient({ url, token: TOKENS.writer });

/** Events of one task from the server's first one, until `until` holds (10 s at most). */
async function eventsOf(
  taskId: string,
  until: (e: ServerEvent) => boolean,
): Promise<ServerEvent[]> {
  const stop = AbortSignal.timeout(10_000);
  const seen: ServerEvent[] = [];
  for await (const event of reader().events({ taskId, lastEventId: 0, signal: stop })) {
    seen.push(event);
    if (until(event)) return seen;
  }
  throw new Error(`no matching event for task ${taskId} within 10 s; saw ${seen.length}`);
}

function cli(args: string[], token: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: box.dir, env: { TASKMILL_TOKEN: token, ...env } });
}

describe('taskmill serve, driven over HTTP', () => {
  it("hints at this module's own types, not at the demo's", () => {
    expect(serve.stdout).toMatch(/submit image\.resize --input '\{…\}' --wait --tasks /);
    expect(serve.stdout).not.toMatch(/demo\.|py\./);
  });

  let done: string;

  it('runs a submitted task, streams its events, lists it and serves its artifact', async () => {
    const task = await writer().submit('image.resize', good);
    const events = await eventsOf(
      task.id,
      (e) => e.kind === 'task.status' && e.data.to === 'completed',
    );
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['task.status', 'task.progress', 'task.log']),
    );
    const listed = await reader().list({ status: 'completed' });
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
    const final = await reader().get(task.id);
    expect(final).toMatchObject({ status: 'completed', output: { bytes: 3200 } });
    const [artifact] = await reader().artifacts(task.id);
    if (!artifact) throw new Error('the task kept no artifact');
    const file = await reader().downloadArtifact(task.id, artifact.id);
    expect(Buffer.from(file.bytes).toString()).toBe('width 320');
    expect(file.sha256).toBe(artifact.sha256);
    done = task.id;
  });

  it('cancels a running task', async () => {
    const task = await writer().submit('sleep', { ms: 60_000 });
    await eventsOf(task.id, (e) => e.kind === 'task.status' && e.data.to === 'running');
    await writer().cancel(task.id, 'e2e');
    const final = await writer().wait(task.id, { timeoutMs: 10_000 });
    expect(final.status).toBe('cancelled');
  });

  it('holds each token to its scopes', async () => {
    const forbidden = await reader()
      .submit('sleep', { ms: 1 })
      .catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(TaskmillError);
    expect(forbidden).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      httpStatus: 403,
      details: { needs: 'write' },
    });
    const anonymous = await createClient({ url })
      .list()
      .catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ code: 'AUTH_REQUIRED', httpStatus: 401 });
    await expect(writer().pauseQueue('default')).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { needs: 'admin' },
    });
    expect((await reader().list({ limit: 1 })).tasks).toHaveLength(1);
  });

  it('answers the CLI with --server: ls, show, submit --wait, logs --follow', async () => {
    const ls = await cli(['ls', '--server', url], TOKENS.reader);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^ID\s+TYPE\s+STATUS/);
    expect(ls.stdout).toMatch(new RegExp(`${done}\\s+image\\.resize\\s+completed`));

    const show = await cli(['show', done], TOKENS.reader, { TASKMILL_SERVER: url });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      new RegExp(`^id\\s+${done}\\ntype\\s+image\\.resize\\nstatus\\s+completed`),
    );
    expect(show.stdout).toMatch(/history\nAT\s+FROM\s+TO/);
    expect(show.stdout).toMatch(/artifacts \(on the server\)\nNAME\s+SIZE\s+SHA-256\nout\.txt/);

    const submit = await cli(
      ['submit', 'image.resize', '--input', JSON.stringify(good), '--wait', '--server', url],
      TOKENS.writer,
    );
    expect(submit.code, submit.stderr).toBe(0);
    expect(submit.stdout).toMatch(/^submitted \S+ \(image\.resize\); waiting for it to finish\n/);
    expect(submit.stdout).toMatch(
      /completed \S+ after submit \(1 attempt, the last ran \S+\); output: \{"bytes":3200\}\n$/,
    );

    const logs = await cli(['logs', done, '--follow', '--server', url], TOKENS.reader);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(
      /#1 {2}info {3}resizing https:\/\/example\.com\/a\.png\n-- task completed\n$/,
    );

    const refused = await cli(
      ['submit', 'sleep', '-i', '{"ms":1}', '--server', url],
      TOKENS.reader,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error AUTH_FORBIDDEN: .*"write" scope/);
  });

  it('refuses --server for the commands that need the database', async () => {
    const result = await cli(['worker', '--server', url], TOKENS.admin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error OPTIONS_INVALID: taskmill worker works on the database/);
  });

  it('stops on SIGTERM with exit code 0, after which the client cannot reach it', async () => {
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(serve.stdout).toContain('stopped');
    await expect(reader().health()).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
  });
});
