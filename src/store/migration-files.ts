/**
 * Numbered migration files (`NNNN_name.sql`) with their SHA-256, for either adapter's migrator:
 * an applied migration whose file changed is caught by its checksum.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
