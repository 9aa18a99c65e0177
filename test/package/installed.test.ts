/**
 * The package as users get it. `npm pack` builds and packs the repository; the tarball is
 * installed with zod into a new project in the system temp folder, which cannot reach the
 * repository (no links, no file: dependencies, no NODE_PATH, none of the repository's npm
 * settings), and used there the documented ways: from code on SQLite and on PostgreSQL, through
 * `npx taskmill`, and from TypeScript against the shipped `.d.ts` files. Everything runs on the
 * repository's pinned Node, npm included, except the refusal of an older Node.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE } from '../../src/core/node-version.ts';
import { DASHBOARD_POLICY } from '../../src/server/security-headers.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { olderNode } from './older-node.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./project', import.meta.url));
const require = createRequire(import.meta.url);
const versionOf = (pkg: string): string =>
  (require(`${pkg}/package.json`) as { version: string }).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: without what npm and vitest set for the repository (its
 * `.npmrc`'s `--conditions`, which would look for sources the package does not ship, npm's
 * `npm_*` settings and the repository's `node_modules/.bin` on PATH), with the pinned Node first.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_OPTIONS$|NODE_PATH$|TASKMILL_|VITEST|INIT_CWD$)/i.test(key)) env[key] = value;
  }
  const path = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter(
      (dir) => dir !== '' && !dir.startsWith(ROOT) && !dir.includes(`node_modules${sep}.bin`),
    );
  env['PATH'] = [dirname(process.execPath), ...path].join(delimiter);
  return env;
}

/** npx that runs the installed command or fails: never one of that name from the registry. */
function npxEnv(): NodeJS.ProcessEnv {
  return { ...userEnv(), npm_config_yes: 'false' };
}

/** Run to the end within `timeoutMs` (then killed); resolves with the exit code and output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? userEnv(),
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number' && !error.killed) reject(error);
        else
          resolve({ code: error ? (error.killed ? null : Number(error.code)) : 0, stdout, stderr });
      },
    );
  });
}

function ok(what: string, result: Run): Run {
  if (result.code !== 0) {
    throw new Error(`${what} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

let temp = '';
let project = '';

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'taskmill-package-'));
  project = join(temp, 'project');
  const packs = join(temp, 'packs');
  mkdirSync(packs);
  // In the repository npm runs `prepack` (the build) on the pinned Node from node_modules/.bin.
  const packed = ok(
    'npm pack',
    await run('npm', ['pack', '--json', '--pack-destination', packs], {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH']}`,
      },
      timeoutMs: 180_000,
    }),
  );
  const [{ filename, files }] = JSON.parse(packed.stdout) as [
    { filename: string; files: { path: string }[] },
  ];
  const shipped = files.map((f) => f.path);
  expect(shipped).toContain('dist/src/cli/bin.js');
  expect(shipped).toContain('dist/src/index.d.ts');
  // The dashboard's build, served at `/` by `taskmill serve`.
  expect(shipped).toContain('dashboard/dist/index.html');
  expect(shipped.some((p) => /^dashboard\/dist\/assets\/.+\.js$/.test(p))).toBe(true);
  const others = shipped.filter((p) => !p.startsWith('dist/') && !p.startsWith('dashboard/dist/'));
  expect(others.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
  expect(shipped.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);

  cpSync(FIXTURE, project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'taskmill-user', private: true, type: 'module' }, null, 2)}\n`,
  );
  const deps = [join(packs, filename), `zod@${versionOf('zod')}`];
  // The .d.ts files name Node's own types, as every Node library's do (fastify's too).
  deps.push(`@types/node@${versionOf('@types/node')}`);
  ok(
    'npm install',
    await run('npm', ['install', '--no-audit', '--no-fund', ...deps], {
      cwd: project,
      timeoutMs: 180_000,
    }),
  );
}, 420_000);

afterAll(() => {
  if (temp !== '') rmSync(temp, { recursive: true, force: true });
});

/** Each step starts Node afresh, several times over, and tsc reads fastify's types: slow on a busy machine. */
const STEP_MS = 120_000;

const OUTPUT = [
  'words.count completed {"words":4}',
  'math.square completed {"square":49}',
  'math.cube completed {"cube":27}',
  '',
].join('\n');

describe('the installed package', { timeout: STEP_MS }, () => {
  it('runs tasks from code on SQLite, in each executor', async () => {
    const db = `sqlite:${join(project, 'taskmill.db')}`;
    const result = ok('run.js', await run(process.execPath, ['run.js', db], { cwd: project }));
    expect(result.stdout).toBe(OUTPUT);
  });

  it('runs tasks from code on PostgreSQL, in each executor', async () => {
    const pg = await freshSchema('package_installed');
    try {
      const result = ok(
        'run.js',
        await run(process.execPath, ['run.js', pg.url], { cwd: project }),
      );
      expect(result.stdout).toBe(OUTPUT);
    } finally {
      await pg.drop();
    }
  });

  it('runs tasks from code on MariaDB, in each executor', async () => {
    const db = await freshMysqlDatabase('package_installed');
    try {
      const result = ok(
        'run.js',
        await run(process.execPath, ['run.js', db.url], { cwd: project }),
      );
      expect(result.stdout).toBe(OUTPUT);
    } finally {
      await db.drop();
    }
  });

  it('answers `npx taskmill --help` with the usage', async () => {
    const result = ok(
      'npx taskmill --help',
      await run('npx', ['taskmill', '--help'], { cwd: project, env: npxEnv() }),
    );
    expect(result.stdout).toMatch(/^Usage: taskmill \[options\] \[command\]/);
    expect(result.stdout).toContain('serve');
  });

  it('serves the HTTP API and the dashboard with `npx taskmill serve` and stops on SIGTERM', async () => {
    const port = await freePort();
    const args = ['taskmill', 'serve', '--port', String(port), '--tasks', 'tasks.js'];
    args.push('--database', `sqlite:${join(project, 'served.db')}`);
    // Its own process group: the signal goes to npx and the server alike, as a terminal's
    // Ctrl-C or a service manager's stop does; npx does not pass it on by itself.
    const child: ChildProcess = spawn('npx', args, {
      cwd: project,
      env: npxEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // 'close' comes once every process holding the pipes has exited: the server too.
    let closed = false;
    child.on('close', () => {
      closed = true;
    });
    const group = child.pid ?? 0;
    const within = async <T>(what: string, check: () => T | undefined, timeoutMs: number) =>
      waitFor(what, check, { timeoutMs }).catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${output}`);
      });
    try {
      const url = await within(
        "the server's address",
        () => output.match(/HTTP API: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/)?.[1],
        30_000,
      );
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      // The dashboard, found from the installed package's own folder, under its policy.
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_POLICY);
      const html = await page.text();
      const script = html.match(/<script[^>]* src="(\/assets\/[^"]+\.js)"/)?.[1];
      expect(script, html).toBeDefined();
      const asset = await fetch(`${url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      process.kill(-group, 'SIGTERM');
      await within('the server to exit after SIGTERM', () => closed || undefined, 20_000);
      expect(output).toContain('SIGTERM: stopping worker');
      expect(output).not.toMatch(/error [A-Z_]+:|exiting without waiting/);
    } finally {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Gone already, as it should be.
      }
    }
  });

  it('type-checks a TypeScript file against the shipped .d.ts files', async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
      timeoutMs: STEP_MS,
    });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });
});

const older = olderNode(userEnv());

describe.skipIf(older === undefined)(
  `on an older Node (${older?.version})`,
  { timeout: STEP_MS },
  () => {
    it('the command refuses to start in one line, with exit code 1', async () => {
      const bin = join(project, 'node_modules', '.bin', 'taskmill');
      const result = await run(older?.path ?? '', [bin, '--help'], { cwd: project });
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `taskmill needs Node.js ${MIN_NODE} or newer; this is ${older?.version} (${older?.path}).\n`,
      );
      expect(result.code).toBe(1);
    });

    it('the library throws at import, naming the version it needs', async () => {
      const result = await run(
        older?.path ?? '',
        ['--input-type=module', '-e', "import 'taskmill';"],
        {
          cwd: project,
        },
      );
      expect(result.stderr).toContain(
        `Error: taskmill needs Node.js ${MIN_NODE} or newer; this is ${older?.version} (${older?.path}).`,
      );
      expect(result.code).toBe(1);
    });
  },
);
