/**
 * Writes src/store/sqlite/schema.snapshot.sql from a freshly migrated database. Commit the result
 * with any new migration; test/store/schema-snapshot.test.ts fails while they disagree.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dumpSqliteSchema } from '../src/store/sqlite/index.ts';

const target = fileURLToPath(new URL('../src/store/sqlite/schema.snapshot.sql', import.meta.url));
writeFileSync(target, await dumpSqliteSchema());
console.log(`wrote ${target}`);
