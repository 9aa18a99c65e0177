import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskInfo } from '../core/context.ts';
import { ValidationError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Artifact } from '../core/task.ts';

const ARTIFACT_NAME = /^[^/\\\0]{1,200}$/;

export function checkArtifactName(name: string): void {
  if (typeof name !== 'string' || !ARTIFACT_NAME.test(name) || name === '.' || name === '..') {
    throw new ValidationError(
      'ARTIFACT_NAME_INVALID',
      `Artifact name ${JSON.stringify(name)} is not allowed: use 1..200 characters without "/", "\\" or NUL.`,
      [{ path: 'name', message: 'expected 1..200 characters, no path separators' }],
    );
  }
}

/** An artifact's file written under the data folder, before its row is stored. */
export type ArtifactFile = Omit<Artifact, 'createdAt'>;

/**
 * Write an artifact's bytes to `<dataDir>/artifacts/<task>/<attempt>-<id>-<name>` and hash them.
 * Thread and process executors call this inside their pool, so the bytes never cross over.
 */
export async function writeArtifactFile(
  dataDir: string,
  task: Pick<TaskInfo, 'id' | 'attempt'>,
  name: string,
  data: string | Uint8Array,
  now: number,
): Promise<ArtifactFile> {
  checkArtifactName(name);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const id = uuidv7(now);
  const path = join('artifacts', task.id, `${task.attempt}-${id}-${name}`);
  await mkdir(join(dataDir, 'artifacts', task.id), { recursive: true });
  await writeFile(join(dataDir, path), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { id, taskId: task.id, attempt: task.attempt, name, path, size: bytes.byteLength, sha256 };
}

/** Remove the files of deleted tasks' artifacts, and the tasks' artifact folders. */
export async function removeArtifactFiles(
  dataDir: string,
  taskIds: readonly string[],
  paths: readonly string[],
): Promise<void> {
  for (const path of paths) await rm(join(dataDir, path), { force: true });
  for (const id of taskIds) {
    await rm(join(dataDir, 'artifacts', id), { recursive: true, force: true });
  }
}
