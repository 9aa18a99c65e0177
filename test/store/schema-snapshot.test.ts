import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dumpMysqlSchema } from '../../src/store/mysql/index.ts';
import { dumpPostgresSchema } from '../../src/store/postgres/index.ts';
import { dumpSqliteSchema } from '../../src/store/sqlite/index.ts';
import { mysqlUrlFor } from '../helpers/mysql.ts';
import { postgresUrl } from '../helpers/postgres.ts';

const snapshot = (adapter: string) =>
  readFileSync(new URL(`../../src/store/${adapter}/schema.snapshot.sql`, import.meta.url), 'utf8');

describe('schema snapshots (run `npm run db:dump` after adding a migration)', () => {
  it('sqlite: matches what a fresh migrate produces', async () => {
    expect(await dumpSqliteSchema()).toBe(snapshot('sqlite'));
  });

  it('postgres: matches what a fresh migrate produces', async () => {
    expect(await dumpPostgresSchema(postgresUrl())).toBe(snapshot('postgres'));
  });

  it('mysql: matches what a fresh migrate produces', async () => {
    // The dump migrates a throw-away database of its own; the URL only names the server.
    expect(await dumpMysqlSchema(mysqlUrlFor('mysql'))).toBe(snapshot('mysql'));
  });
});
