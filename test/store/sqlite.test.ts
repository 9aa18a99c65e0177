import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreConformance } from '../../src/store/conformance/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'taskmill-sqlite-conformance-'));
let opened = 0;

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

runStoreConformance({
  name: 'sqlite',
  // A new file per test: every test starts from an empty, freshly migrated database.
  open: () => openSqliteStore({ path: join(folder, `store-${++opened}.db`) }),
});
