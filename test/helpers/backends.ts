import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect } from 'vitest';
import { freshMysqlDatabase } from './mysql.ts';
import { freshSchema } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

/**
 * One database for one test (or one fault scenario): the URL every process opens, and a folder
 * of its own for what lives beside the database (artifacts, a ledger).
 */
export interface FreshDatabase {
  url: string;
  folder: string;
  /** Artifacts go here for every process that opens `url`, as a shared volume would hold them:
   * only a SQLite file has a default folder that all of its processes agree on. */
  dataDir: string;
  remove(): Promise<void>;
}

export interface Backend {
  /** For test titles only; tests branch on what a backend can do, never on this. */
  readonly name: string;
  fresh(label?: string): Promise<FreshDatabase>;
  /** Its store calls wait on a server round trip; SQLite's finish within the turn that made
   * them. What a worker does between two of its own store calls can only be seen here. */
  readonly roundTrips: boolean;
  /** The share of a fault test's repetitions (kills, rounds) run here: the fault suite must
   * stay bounded for all backends together on a two-core machine, where the database server
   * competes with the test's processes for the CPU. */
  readonly repeatShare: number;
  /** A migration commits with its ledger row, so a kill leaves all of it or none. Not on MySQL,
   * where DDL commits statement by statement: a kill may leave part of one, which the next
   * start resumes. */
  readonly atomicMigrations: boolean;
  /** How late a live worker's heartbeat may land here while a fault test loads the two cores:
   * a heartbeat is a write, and MariaDB's wait behind a busy run's claims and settles (seen up
   * to 2.8 s) where the others' stay under a second. */
  readonly lateBeatMs: number;
  /** The database's own consistency check, where it has one (SQLite's `integrity_check`):
   * the rows it reports, `[]` when sound. */
  readonly integrityProblems?: (url: string) => unknown[];
}

function dataDirIn(folder: string): string {
  const dataDir = join(folder, 'data');
  mkdirSync(dataDir, { recursive: true });
  return dataDir;
}

/** A label for a schema name: the running test's name, so a leftover schema says whose it was. */
function currentLabel(fallback: string): string {
  return expect.getState().currentTestName ?? fallback;
}

export const SQLITE: Backend = {
  name: 'sqlite',
  roundTrips: false,
  repeatShare: 1,
  atomicMigrations: true,
  lateBeatMs: 1_000,
  async fresh() {
    const dir = tempDir();
    return {
      url: dir.dbUrl,
      folder: dir.path,
      dataDir: dataDirIn(dir.path),
      remove: async () => dir.remove(),
    };
  },
  integrityProblems(url) {
    const db = new DatabaseSync(url.slice('sqlite:'.length));
    try {
      return db
        .prepare('PRAGMA integrity_check')
        .all()
        .filter((row) => row['integrity_check'] !== 'ok');
    } finally {
      db.close();
    }
  },
};

export const POSTGRES: Backend = {
  name: 'postgres',
  roundTrips: true,
  repeatShare: 0.4,
  atomicMigrations: true,
  lateBeatMs: 1_000,
  async fresh(label) {
    const schema = await freshSchema(label ?? currentLabel('test'));
    const dir = tempDir();
    return {
      url: schema.url,
      folder: dir.path,
      dataDir: dataDirIn(dir.path),
      remove: async () => {
        dir.remove();
        await schema.drop();
      },
    };
  },
};

/** A database of its own per test on the MariaDB (or MySQL) server of test/helpers/mysql.ts;
 * the tests fail, never skip, when it cannot be reached. */
export const MYSQL: Backend = {
  name: 'mysql',
  roundTrips: true,
  repeatShare: 0.3,
  atomicMigrations: false,
  lateBeatMs: 3_500,
  async fresh(label) {
    const db = await freshMysqlDatabase(label ?? currentLabel('test'));
    const dir = tempDir();
    return {
      url: db.url,
      folder: dir.path,
      dataDir: dataDirIn(dir.path),
      remove: async () => {
        dir.remove();
        await db.drop();
      },
    };
  },
};

export const BACKENDS: readonly Backend[] = [SQLITE, POSTGRES, MYSQL];

/** `count` repetitions scaled by the backend's share, at least `min`. */
export function repeats(backend: Backend, count: number, min = 1): number {
  return Math.max(min, Math.round(count * backend.repeatShare));
}

/** The tests `define` declares, once per backend, each in a `describe` named after it. */
export function forEachBackend(define: (backend: Backend) => void): void {
  describe.each(BACKENDS)('on $name', define);
}
