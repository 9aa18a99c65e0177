/**
 * Inside the repository 'taskmill' must name the TypeScript sources, never a `dist/` left by an
 * earlier `npm pack`: two copies of the library in one process would not share their classes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as byName from 'taskmill';
import { expect, it } from 'vitest';
import * as byPath from '../../src/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('resolves to src/ in test files', () => {
  expect(byName.createTaskmill).toBe(byPath.createTaskmill);
});

it('resolves to src/ in the processes tests start', () => {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "console.log(import.meta.resolve('taskmill'))"],
    { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.stderr).toBe('');
  const hint = 'run through npm (npm test, npx vitest), whose .npmrc sets the condition';
  // The condition's entry: a .js file that re-exports src/index.ts (the package's exports name
  // no .ts file, which Node could not load from node_modules).
  expect(run.stdout.trim(), hint).toBe(new URL('../../src/source-entry.js', import.meta.url).href);
});
