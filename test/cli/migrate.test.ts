import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/postgres.ts';
import { makeSandbox, runCli, type Sandbox } from './helpers.ts';

describe('taskmill migrate', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => box.cleanup());

  it('creates a SQLite database, then finds it up to date', async () => {
    const first = await runCli(['migrate', '--database', box.database], { cwd: box.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('applied migrations 1, 2, 3, 4, 5, 6, 7; schema is at version 7\n');
    const second = await runCli(['migrate', '--json', '--database', box.database], {
      cwd: box.dir,
    });
    expect(JSON.parse(second.stdout)).toEqual({ version: 7, applied: [] });
  });

  it('migrates a PostgreSQL schema given in the URL', async () => {
    const schema = await freshSchema('climigrate');
    try {
      const first = await runCli(['migrate', '--json', '--database', schema.url], { cwd: box.dir });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({ version: 7, applied: [1, 2, 3, 4, 5, 6, 7] });
      const ls = await runCli(['ls', '--json', '--database', schema.url], { cwd: box.dir });
      expect(ls.code, ls.stderr).toBe(0);
    } finally {
      await schema.drop();
    }
  });
});
