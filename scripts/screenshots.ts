/**
 * `npm run screenshots [-- <folder>]`: every page of the dashboard at 1280×800 and at phone width
 * (390×844), as `npm start` shows them: a `taskmill serve --demo` child on a fresh SQLite file, on
 * its own port, and Debian's Chromium (or TASKMILL_TEST_CHROMIUM), headless. Written to
 * docs/screenshots/ by default (what the README shows), as `<page>-desktop.png` and
 * `<page>-phone.png`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

interface Shot {
  name: string;
  /** The path, or how to find it from the demo's data. */
  path: (api: (path: string) => Promise<unknown>) => Promise<string>;
}

const fixed = (path: string) => async () => path;

/** A task of `type` that ended as `status`, for the detail page: the demo's own. */
const taskOf =
  (type: string, status: string) =>
  async (api: (path: string) => Promise<unknown>): Promise<string> => {
    const page = (await api(`/api/v1/tasks?type=${type}&status=${status}&limit=1`)) as {
      tasks: { id: string }[];
    };
    const id = page.tasks[0]?.id;
    if (!id) throw new Error(`the demo has no ${status} ${type} task yet`);
    return `/tasks/${id}`;
  };

export const SHOTS: readonly Shot[] = [
  { name: 'overview', path: fixed('/') },
  { name: 'tasks', path: fixed('/tasks') },
  { name: 'task', path: taskOf('demo.flaky', 'completed') },
  { name: 'submit', path: fixed('/submit/demo.resize') },
  { name: 'queues', path: fixed('/queues') },
  { name: 'workers', path: fixed('/workers') },
  { name: 'schedules', path: fixed('/schedules') },
  { name: 'pipelines', path: fixed('/pipelines') },
  {
    name: 'pipeline-run',
    path: async (api) => {
      const { runs } = (await api('/api/v1/pipeline-runs?limit=1')) as { runs: { id: string }[] };
      if (!runs[0]) throw new Error('the demo has no pipeline run');
      return `/pipelines/runs/${runs[0].id}`;
    },
  },
];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A demo server as `npm start` runs it; resolves once it answers, with its URL and a stop. */
export async function startDemo(): Promise<{ url: string; stop(): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), 'taskmill-shots-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'src/cli/main.ts'),
      'serve',
      '--tasks',
      join(ROOT, 'examples/demo/tasks.ts'),
      '--database',
      `sqlite:${join(folder, 'demo.db')}`,
      '--demo',
      '--schedules',
      join(ROOT, 'examples/demo/schedules.json'),
      '--port',
      String(port),
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
    rmSync(folder, { recursive: true, force: true });
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error('taskmill serve --demo did not become ready within 60 s');
}

/** Until the page's title is there and nothing on it says it is still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="app-shell"] #page-title').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, {
    timeout: 20_000,
  });
  // Fonts and the chart's canvas draw after the data arrive.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

export async function takeScreenshots(url: string, folder: string, browser: Browser) {
  mkdirSync(folder, { recursive: true });
  const api = async (path: string) => (await fetch(`${url}${path}`)).json();
  const written: string[] = [];
  for (const shot of SHOTS) {
    const path = await shot.path(api);
    for (const [kind, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ viewport, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(`${url}${path}`);
      await settled(page);
      const file = join(folder, `${shot.name}-${kind}.png`);
      await page.screenshot({ path: file });
      written.push(file);
      await context.close();
    }
  }
  return written;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['TASKMILL_TEST_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Until the demo's tasks that end by themselves have ended, so the pages show their ends. */
async function demoSettled(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const stats = (await (await fetch(`${url}/api/v1/stats`)).json()) as {
      byStatus: Record<string, number>;
    };
    const { running = 0, retrying = 0 } = stats.byStatus;
    const runs = (await (
      await fetch(`${url}/api/v1/pipeline-runs?status=running&limit=1`)
    ).json()) as {
      runs: unknown[];
    };
    if (running + retrying === 0 && runs.runs.length === 0) return;
    await new Promise((done) => setTimeout(done, 200));
  }
}

if (import.meta.url === `file://${resolve(process.argv[1] ?? '')}`) {
  const folder = resolve(process.argv[2] ?? join(ROOT, 'docs/screenshots'));
  const demo = await startDemo();
  const browser = await launchChromium();
  try {
    await demoSettled(demo.url);
    const files = await takeScreenshots(demo.url, folder, browser);
    process.stdout.write(`${files.length} screenshots in ${folder}\n`);
  } finally {
    await browser.close();
    await demo.stop();
  }
}
