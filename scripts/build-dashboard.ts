/**
 * Build the web dashboard (`dashboard/`, React + Vite) into `dashboard/dist/`, which the server
 * serves at `/` (src/server/dashboard.ts). `npm run build:dashboard`; also run by `npm start`
 * (prestart), `npm run build` (so by `npm pack`) and once before the tests (test/setup/).
 *
 * Skipped when every built file is newer than every source: the dashboard's files, the parts of
 * src/ it bundles (the typed client and the core it imports) and package-lock.json. Several
 * processes may ask at once (test runs side by side), so one builds at a time under a lock, and
 * the build is written to a folder of its own and swapped in whole: a server starting meanwhile
 * reads the old app or the new one, never half of each. Prints one line either way, on stderr.
 */

import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DASHBOARD = join(ROOT, 'dashboard');
export const DASHBOARD_DIST = join(DASHBOARD, 'dist');
/** What the build reads. dashboard/ minus its output; src/client and src/core, which it imports. */
const SOURCES = [
  DASHBOARD,
  join(ROOT, 'src/client'),
  join(ROOT, 'src/core'),
  join(ROOT, 'package-lock.json'),
];
const NOT_SOURCES = new Set([DASHBOARD_DIST, join(DASHBOARD, 'node_modules')]);
const CACHE = join(ROOT, 'node_modules', '.cache', 'taskmill-dashboard');
const LOCK = join(
  tmpdir(),
  `taskmill-dashboard-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);
const LOCK_WAIT_MS = 5 * 60_000;

export interface DashboardBuild {
  built: boolean;
  /** The line printed. */
  line: string;
}

/** Modification times of every file under `paths` (folders walked), skipping `NOT_SOURCES`. */
function mtimes(paths: readonly string[], skip: ReadonlySet<string> = new Set()): number[] {
  const times: number[] = [];
  const visit = (path: string): void => {
    if (skip.has(path) || !existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else {
      times.push(stat.mtimeMs);
    }
  };
  for (const path of paths) visit(path);
  return times;
}

/** Whether dashboard/dist holds a build newer than every source. */
export function dashboardUpToDate(): boolean {
  if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) return false;
  const built = mtimes([DASHBOARD_DIST]);
  return Math.min(...built) > Math.max(...mtimes(SOURCES, NOT_SOURCES));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the build lock (a folder: its creation is atomic), waiting for another builder. */
async function lock(): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // Taken a moment ago, its pid not written yet: wait for it.
    }
    // A builder that died (killed, crashed) leaves its lock behind.
    if (Number.isSafeInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Another dashboard build has held ${LOCK} for 5 minutes; remove it if no build runs.`,
      );
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Move `from` to `to`, copying when they are on different file systems. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else {
      files += 1;
      bytes += stat.size;
    }
  };
  visit(dir);
  return { files, bytes };
}

export async function buildDashboard(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<DashboardBuild> {
  // On stderr: `npm pack --json` runs this (prepack) and its stdout must stay the JSON alone.
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const where = relative(process.cwd(), DASHBOARD_DIST) || '.';
  const skip = (): DashboardBuild => {
    const line = `dashboard: ${where} is up to date, build skipped`;
    log(line);
    return { built: false, line };
  };
  if (!options.force && dashboardUpToDate()) return skip();
  const unlock = await lock();
  try {
    // Another process may have built it while this one waited for the lock.
    if (!options.force && dashboardUpToDate()) return skip();
    const started = performance.now();
    const out = join(CACHE, `build-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    const { build } = await import('vite');
    // React's development build (and the JSX runtime that goes with it) is what Vite and its
    // React plugin pick under any other NODE_ENV, such as the "test" vitest sets: twice the size,
    // and not what a user is served.
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({
        configFile: join(DASHBOARD, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: out, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = nodeEnv;
    }
    const old = join(CACHE, `old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(DASHBOARD_DIST)) move(DASHBOARD_DIST, old);
    move(out, DASHBOARD_DIST);
    rmSync(old, { recursive: true, force: true });
    const { files, bytes } = sizeOf(DASHBOARD_DIST);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = `dashboard: built ${where} in ${seconds} s (${files} files, ${(bytes / 1024).toFixed(0)} KiB)`;
    log(line);
    return { built: true, line };
  } finally {
    unlock();
  }
}

if (import.meta.url === `file://${resolve(process.argv[1] ?? '')}`) {
  await buildDashboard({ force: process.argv.includes('--force') });
}
