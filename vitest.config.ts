import { defineConfig } from 'vitest/config';

/** Files under test/alone/ measure time; they run afterwards, by themselves (vitest.alone.config.ts). */
export const ALONE = 'test/alone/**';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [ALONE, '**/node_modules/**'],
    // One PostgreSQL server for the whole run: TASKMILL_TEST_DATABASE_URL or an embedded one.
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more forks only contend for the same CPU and SQLite's file locks.
    maxWorkers: 2,
  },
});
