/**
 * MySQL commits each DDL statement by itself, so a migration cut off halfway (a kill, a lost
 * connection) leaves part of it applied and unrecorded. The next open must resume it and end
 * with the schema a fresh migrate makes; and migration files are cut into statements right.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MyConnection } from '../../src/store/mysql/connection.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { loadMigrations, migrate } from '../../src/store/mysql/migrate.ts';
import { splitStatements } from '../../src/store/mysql/sql-statements.ts';
import { parseMysqlUrl } from '../../src/store/mysql/url.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connection(label: string): Promise<{ url: string; conn: MyConnection }> {
  const db = await freshMysqlDatabase(label);
  cleanups.push(db.drop);
  const conn = new MyConnection(parseMysqlUrl(db.url).target, 2);
  cleanups.push(() => conn.close());
  return { url: db.url, conn };
}

async function schemaOf(conn: MyConnection): Promise<string[]> {
  return (await conn.direct.all<{ line: string }>('schema-dump')).map((r) => r.line);
}

describe('splitStatements', () => {
  it('cuts at semicolons outside strings, identifiers and comments, dropping empty pieces', () => {
    const text = [
      "-- a comment; with a semicolon and an apostrophe's",
      "CREATE TABLE a (x TEXT DEFAULT 'semi;colon', `we;ird` INT);",
      '/* block; comment */',
      "INSERT INTO a VALUES ('it''s; fine', 1), ('back\\'slash;', 2);",
      '# hash comment;',
      'ALTER TABLE a ADD COLUMN y INT',
      '-- trailing comment only;',
    ].join('\n');
    expect(splitStatements(text)).toEqual([
      "-- a comment; with a semicolon and an apostrophe's\nCREATE TABLE a (x TEXT DEFAULT 'semi;colon', `we;ird` INT)",
      "/* block; comment */\nINSERT INTO a VALUES ('it''s; fine', 1), ('back\\'slash;', 2)",
      // The last statement needs no semicolon; a comment after it stays with it.
      '# hash comment;\nALTER TABLE a ADD COLUMN y INT\n-- trailing comment only;',
    ]);
    expect(splitStatements('SELECT 1;\n-- only a comment\n;  \n')).toEqual(['SELECT 1']);
  });

  it('finds every statement of the shipped migrations', () => {
    const counts = loadMigrations().map((m) => splitStatements(m.sql).length);
    expect(counts).toEqual([7, 4, 1, 2, 2, 2, 2]);
  });
});

describe('a migration cut off halfway on MySQL', () => {
  it('is resumed by the next open, which ends with the schema of a fresh migrate', async () => {
    const fresh = await connection('resume_ref');
    await migrate(fresh.conn, loadMigrations(), 'reference');
    const expected = await schemaOf(fresh.conn);

    const { url, conn } = await connection('resume_cut');
    const migrations = loadMigrations();
    await migrate(conn, migrations.slice(0, 4), 'cut');
    // Migration 5 ran its first statement (CREATE TABLE pipeline_runs) and was cut off before
    // its ALTER and its ledger row.
    const fifth = migrations[4];
    if (fifth === undefined) throw new Error('no migration 5');
    await conn.direct.exec(splitStatements(fifth.sql)[0] ?? '', 'first statement of 5');
    expect(await schemaOf(conn)).not.toEqual(expected);

    const store = await openMysqlStore({ url, poolSize: 2 });
    cleanups.push(() => store.close());
    expect(store.schema).toEqual({ version: 7, applied: [5, 6, 7] });
    expect(await schemaOf(conn)).toEqual(expected);
  });

  it('still fails on an error that is not what an earlier run left', async () => {
    const { url, conn } = await connection('resume_error');
    await migrate(conn, loadMigrations().slice(0, 5), 'cut');
    // Migration 6's first statement ran (taken as done when resumed); its second then meets a
    // real error (the table it alters is gone), which must surface, naming the migration.
    await conn.direct.exec('ALTER TABLE tasks ADD COLUMN name TEXT', 'part of 6');
    await conn.direct.exec('DROP TABLE workers', 'break the schema');
    const error = await openMysqlStore({ url, poolSize: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_QUERY_FAILED' });
    expect((error as Error).message).toContain('0006');
  });
});
