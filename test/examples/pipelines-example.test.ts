import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it("examples/pipelines/run.ts runs seed 004's four modes as written", () => {
  const script = fileURLToPath(new URL('../../examples/pipelines/run.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--no-warnings', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    [
      'double-sequential: 2/2 [40,80]',
      'double-threads: 2/2 [40,80]',
      'double-processes: 2/2 [40,80]',
      'double-batch: completed [40,80,120]',
      '',
    ].join('\n'),
  );
});
