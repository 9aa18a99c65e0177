import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseMysqlUrl } from '../../src/store/mysql/url.ts';
import { parsePostgresUrl } from '../../src/store/postgres/url.ts';
import { forEachBackend, repeats } from '../helpers/backends.ts';
import { useFaultHarness } from './harness.ts';

/** On SQLite; fewer where the backend's share says so (5 on PostgreSQL, 4 on MySQL). */
const FULL_ROUNDS = 12;

/** What a database holds of taskmill: every schema object by name, and the migration ledger. */
interface Migrated {
  objects: string[];
  /** The versions in `taskmill_migrations`, or null without that table. */
  versions: number[] | null;
}

/** Tables, their columns and their indexes, one line each, with the ledger. */
async function inspectMysql(url: string): Promise<Migrated> {
  const c = await mysql.createConnection({ ...parseMysqlUrl(url).target, connectTimeout: 5_000 });
  try {
    const [rows] = await c.query(
      `SELECT CONCAT('table ', table_name) AS o FROM information_schema.tables
         WHERE table_schema = DATABASE()
       UNION ALL SELECT CONCAT('column ', table_name, '.', column_name, ' ', column_type)
         FROM information_schema.columns WHERE table_schema = DATABASE()
       UNION ALL SELECT DISTINCT CONCAT('index ', table_name, '.', index_name)
         FROM information_schema.statistics WHERE table_schema = DATABASE()
       ORDER BY o`,
    );
    const objects = (rows as { o: string }[]).map((r) => r.o);
    if (!objects.includes('table taskmill_migrations')) return { objects, versions: null };
    const [ledger] = await c.query('SELECT version FROM taskmill_migrations ORDER BY version');
    return { objects, versions: (ledger as { version: number }[]).map((r) => Number(r.version)) };
  } finally {
    await c.end();
  }
}

/** Read through a connection of the test's own, never a store (which would migrate). */
async function inspect(url: string): Promise<Migrated> {
  if (/^(mysql|mariadb):/.test(url)) return inspectMysql(url);
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!existsSync(path)) return { objects: [], versions: null };
    const db = new DatabaseSync(path);
    try {
      const objects = db
        .prepare("SELECT type || ' ' || name AS o FROM sqlite_master ORDER BY o")
        .all()
        .map((r) => String(r['o']));
      const versions = objects.includes('table taskmill_migrations')
        ? db
            .prepare('SELECT version FROM taskmill_migrations ORDER BY version')
            .all()
            .map((r) => Number(r['version']))
        : null;
      return { objects, versions };
    } finally {
      db.close();
    }
  }
  const { connectionString, schema } = parsePostgresUrl(url);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const objects = (
      await client.query<{ o: string }>(
        `SELECT c.relkind::text || ' ' || c.relname AS o FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY o`,
        [schema],
      )
    ).rows.map((r) => r.o);
    const versions = objects.includes('r taskmill_migrations')
      ? (
          await client.query<{ version: number }>(
            `SELECT version FROM ${client.escapeIdentifier(schema ?? '')}.taskmill_migrations
             ORDER BY version`,
          )
        ).rows.map((r) => Number(r.version))
      : null;
    return { objects, versions };
  } finally {
    await client.end();
  }
}

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('kill -9 while a fresh database is being created', () => {
    it('leaves it complete or untouched (where DDL commits by itself: a part the next start resumes), and the next process migrates and starts a worker', async () => {
      const kills: string[] = [];
      // One start unharmed, timed: the kills then spread over the start-up this machine and
      // this backend take, opening, connecting and migrating alike. Its database is what a
      // complete migration leaves.
      const reference = await harness.unopened();
      const first = harness.worker(reference, { worker: { handleSignals: false } });
      await first.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
      const startupMs = Date.now() - first.spawnedAt;
      await first.destroy();
      const complete = await inspect(reference.url);
      expect(complete.versions, 'a complete ledger').not.toBeNull();
      expect(complete.versions?.length).toBeGreaterThan(0);
      let untouched = 0;
      for (let round = 0; round < repeats(backend, FULL_ROUNDS); round++) {
        const place = await harness.unopened();
        const config = { worker: { handleSignals: false } };
        const victim = harness.worker(place, config);
        const delayMs = 40 + Math.floor(Math.random() * Math.max(260, startupMs));
        await sleep(delayMs);
        victim.signal('SIGKILL');
        await victim.closed;
        const wasReady = victim.lines.some((l) => l.startsWith('ready '));
        // The migration is one transaction: the kill left either all of it or none of it.
        // Where DDL commits statement by statement (MySQL), it may have left part of one: the
        // ledger then names only migrations that completed, and nothing foreign is there.
        const left = await inspect(place.url);
        if (!backend.atomicMigrations && left.versions !== null) {
          expect(complete.versions?.slice(0, left.versions.length)).toEqual(left.versions);
          expect(left.objects.filter((o) => !complete.objects.includes(o))).toEqual([]);
          if (left.versions.length === complete.versions?.length) expect(left).toEqual(complete);
        } else if (left.versions === null) {
          expect(left.objects, `round ${round}: no ledger, so no schema objects either`).toEqual(
            [],
          );
          expect(wasReady, `round ${round}: ready without a migrated database`).toBe(false);
          untouched++;
        } else {
          expect(left, `round ${round}: a ledger, so the complete schema`).toEqual(complete);
        }
        const part = left.versions !== null && left.objects.length < complete.objects.length;
        kills.push(
          `${delayMs}${wasReady ? ' (after ready)' : ''}${left.versions ? '' : ' (none)'}${part ? ' (part)' : ''}`,
        );
        const next = harness.worker(place, config);
        await next.waitForLine('ready', (l) => l.startsWith('ready '), 15_000);
        await next.destroy();
        expect(await inspect(place.url), `round ${round}: after the next start`).toEqual(complete);
      }
      console.info(
        `${backend.name}: start-up ${startupMs} ms; ${untouched} kills before the migration committed; kill delays in ms: ${kills.join(', ')}`,
      );
    }, 60_000);
  });
});
