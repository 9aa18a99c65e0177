/**
 * A write that fails part way, as on a full disk (issue 14): writeFile is made to write half the
 * bytes and then fail with ENOSPC. The partial file is removed, and the error is coded and names
 * no server path.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { writeArtifactFile } from '../../src/worker/artifact-file.ts';
import { errorOf } from '../helpers/error-of.ts';
import { tempDir } from '../helpers/temp-dir.ts';

vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  return {
    ...fs,
    writeFile: async (path: string, data: Uint8Array) => {
      writeFileSync(path, data.subarray(0, data.byteLength / 2));
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), {
        code: 'ENOSPC',
      });
    },
  };
});

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

it('removes the partial file and says ENOSPC without the path', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const task = { id: '0190f0f0-0000-7000-8000-000000000001', attempt: 1 };
  const e = await errorOf(writeArtifactFile(dir.path, task, 'big.bin', new Uint8Array(64), 0));
  expect(e).toMatchObject({
    code: 'ARTIFACT_WRITE_FAILED',
    details: { taskId: task.id, name: 'big.bin', reason: 'ENOSPC' },
  });
  expect(e.message).toBe(
    `Artifact "big.bin" of task ${task.id} could not be written to the data folder (ENOSPC); nothing was stored.`,
  );
  expect(readdirSync(join(dir.path, 'artifacts', task.id))).toEqual([]);
});
