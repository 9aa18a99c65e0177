/**
 * Writes each adapter's schema.snapshot.sql from a freshly migrated database. Commit the result
 * with any new migration; test/store/schema-snapshot.test.ts fails while they disagree.
 * PostgreSQL needs a server: TASKMILL_TEST_DATABASE_URL or DATABASE_URL (a throw-away schema is
 * migrated there and dropped); without one, only the SQLite snapshot is written. MySQL/MariaDB
 * uses TASKMILL_TEST_MYSQL_URL, else the local server at mysql://root@127.0.0.1:3306 (a
 * throw-away database is migrated there and dropped).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dumpMysqlSchema } from '../src/store/mysql/index.ts';
import { dumpPostgresSchema } from '../src/store/postgres/index.ts';
import { dumpSqliteSchema } from '../src/store/sqlite/index.ts';

function target(adapter: string): string {
  return fileURLToPath(new URL(`../src/store/${adapter}/schema.snapshot.sql`, import.meta.url));
}

writeFileSync(target('sqlite'), await dumpSqliteSchema());
console.log(`wrote ${target('sqlite')}`);

const url = process.env['TASKMILL_TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
if (url) {
  writeFileSync(target('postgres'), await dumpPostgresSchema(url));
  console.log(`wrote ${target('postgres')}`);
} else {
  console.log('skipped postgres: set TASKMILL_TEST_DATABASE_URL or DATABASE_URL to a server');
}

// The dump migrates a throw-away database of its own; the URL only names the server.
const mysqlUrl = new URL(process.env['TASKMILL_TEST_MYSQL_URL'] || 'mysql://root@127.0.0.1:3306');
mysqlUrl.pathname = '/mysql';
writeFileSync(target('mysql'), await dumpMysqlSchema(mysqlUrl.toString()));
console.log(`wrote ${target('mysql')}`);
