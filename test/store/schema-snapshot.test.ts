import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dumpSqliteSchema } from '../../src/store/sqlite/index.ts';

const snapshot = new URL('../../src/store/sqlite/schema.snapshot.sql', import.meta.url);

describe('sqlite schema snapshot', () => {
  it('matches what a fresh migrate produces (run `npm run db:dump` after adding a migration)', async () => {
    expect(await dumpSqliteSchema()).toBe(readFileSync(snapshot, 'utf8'));
  });
});
