import { defineConfig } from 'vitest/config';

/** Files under test/alone/ measure time; they run afterwards, by themselves (vitest.alone.config.ts). */
export const ALONE = 'test/alone/**';

/**
 * Test files import 'taskmill' by name (the CLI's fixture tasks, the examples) and must get the
 * sources, as everything else run in the repository does: package.json exports them under this
 * condition (docs/project/development.md). Vite resolves by its own conditions, not Node's, and
 * vitest passes them on to its worker processes. Vite's defaults are listed since these replace them.
 */
export const SOURCE_CONDITIONS = ['taskmill-source', 'module', 'node', 'development|production'];

export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [ALONE, '**/node_modules/**'],
    // One PostgreSQL server for the whole run: TASKMILL_TEST_DATABASE_URL or an embedded one.
    // The dashboard built once, for the tests that serve it or drive it in a browser.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/dashboard.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more forks only contend for the same CPU and SQLite's file locks.
    maxWorkers: 2,
  },
});
