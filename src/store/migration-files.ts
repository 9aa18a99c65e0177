/**
 * Numbered migration files (`NNNN_name.sql`) with their SHA-256, and the check of a database's
 * ledger against them, for either adapter's migrator: an applied migration whose file changed is
 * caught by its checksum.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/errors.ts';

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  sql: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_RE.exec(file);
    if (match === null) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: `${match[1]}_${match[2]}`,
      checksum: createHash('sha256').update(sql).digest('hex'),
      sql,
    });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is out of sequence in ${dir}.`);
  });
  return migrations;
}

/** The table where a database records the migrations applied to it. */
export const LEDGER = 'taskmill_migrations';

/** A row of that ledger. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/**
 * The versions a ledger says are applied; throws when the database was migrated by a newer build
 * (`SCHEMA_TOO_NEW`) or with a file that has since been edited (`MIGRATION_CHECKSUM_MISMATCH`).
 * `place` names what else the user could point taskmill at: "schema" or "database".
 */
export function checkLedger(
  applied: readonly AppliedMigration[],
  migrations: readonly Migration[],
  location: string,
  place: 'schema' | 'database',
): Set<number> {
  const latest = applied.at(-1)?.version ?? 0;
  const newest = migrations.length;
  if (latest > newest) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `${location} was migrated to schema version ${latest} by a newer taskmill; this build knows versions up to ${newest}. Upgrade taskmill to a version that knows schema version ${latest}, or use another ${place}.`,
      { details: { location, databaseVersion: latest, knownVersion: newest } },
    );
  }
  for (const row of applied) {
    const ours = migrations[row.version - 1];
    if (ours === undefined || ours.checksum !== row.checksum) {
      throw new StoreError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `Migration ${row.name} applied to ${location} differs from the one this build ships (checksum ${row.checksum.slice(0, 12)}… vs ${ours?.checksum.slice(0, 12) ?? 'none'}…). Applied migrations must never be edited: restore the original file and add a new migration instead.`,
        {
          details: {
            location,
            version: row.version,
            name: row.name,
            databaseChecksum: row.checksum,
            shippedChecksum: ours?.checksum ?? null,
          },
        },
      );
    }
  }
  return new Set(applied.map((r) => r.version));
}
