import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder for one test's database and artifacts; `remove` deletes it. */
export function tempDir(prefix = 'taskmill-test-'): {
  path: string;
  dbUrl: string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    dbUrl: `sqlite:${join(path, 'taskmill.db')}`,
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
