import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskInfo } from '../core/context.ts';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Artifact } from '../core/task.ts';

/**
 * The longest name, in bytes of UTF-8: the file is `<attempt>-<uuid>-<name>`, and file systems
 * limit one path segment to 255 bytes (not characters: 80 CJK characters are 240 bytes), so the
 * name keeps 200 and leaves the prefix room.
 */
export const MAX_ARTIFACT_NAME_BYTES = 200;
const SEPARATOR_OR_NUL = /[/\\\0]/;

export function checkArtifactName(name: string): void {
  const fits =
    typeof name === 'string' &&
    name.length > 0 &&
    !SEPARATOR_OR_NUL.test(name) &&
    name !== '.' &&
    name !== '..' &&
    // Each UTF-16 unit is at most 3 bytes: most names pass without counting.
    (name.length * 3 <= MAX_ARTIFACT_NAME_BYTES ||
      Buffer.byteLength(name, 'utf8') <= MAX_ARTIFACT_NAME_BYTES);
  if (!fits) {
    throw new ValidationError(
      'ARTIFACT_NAME_INVALID',
      `Artifact name ${JSON.stringify(name)} is not allowed: use 1..${MAX_ARTIFACT_NAME_BYTES} bytes of UTF-8 without "/", "\\" or NUL.`,
      [
        {
          path: 'name',
          message: `expected 1..${MAX_ARTIFACT_NAME_BYTES} bytes of UTF-8, no path separators`,
        },
      ],
    );
  }
}

/** A failed write, told without the server's paths (the message reaches the handler, its task's
 * error and so API clients): the system's error code says enough (ENOSPC, EACCES). */
function writeFailed(name: string, taskId: string, error: unknown): TaskmillError {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown';
  return new TaskmillError(
    'ARTIFACT_WRITE_FAILED',
    `Artifact ${JSON.stringify(name)} of task ${taskId} could not be written to the data folder (${code}); nothing was stored.`,
    { details: { taskId, name, reason: code } },
  );
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
  try {
    await mkdir(join(dataDir, 'artifacts', task.id), { recursive: true });
    await writeFile(join(dataDir, path), bytes);
  } catch (error) {
    // A write that failed part way (a full disk) leaves a partial or empty file that no row names.
    await rm(join(dataDir, path), { force: true }).catch(() => undefined);
    throw writeFailed(name, task.id, error);
  }
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
