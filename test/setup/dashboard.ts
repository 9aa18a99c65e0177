import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the dashboard could not be built before the run, or null when it was (or was up to
     * date). The browser tests fail with it; the rest of the suite runs either way. */
    dashboardBuildError: string | null;
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/build-dashboard.ts', import.meta.url));

/**
 * Vitest global setup: build the dashboard once before the tests (skipped when it is up to
 * date), so that the server tests and browser tests serve the current app. In a process of its
 * own: Vite's build is kept apart from the Vite inside vitest, and its lock (the script's) keeps
 * runs side by side from building at once.
 */
export default function setup(project: TestProject): void {
  const result = spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status === 0) {
    process.stdout.write(`${output}\n`);
    project.provide('dashboardBuildError', null);
    return;
  }
  const why = result.error?.message ?? `exit code ${result.status ?? result.signal}`;
  const message = `npm run build:dashboard failed (${why}):\n${output}`;
  process.stderr.write(`${message}\n`);
  project.provide('dashboardBuildError', message);
}
