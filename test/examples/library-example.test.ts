import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('examples/library.ts runs as written, importing taskmill by its package name', () => {
  const script = fileURLToPath(new URL('../../examples/library.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--no-warnings', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toBe('text.word-count completed: {"words":4}\nrejected: TASK_INPUT_INVALID\n');
});
