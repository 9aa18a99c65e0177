import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbedded } from './embedded-postgres.ts';
import { binariesIn, platformPostgres, postgresOwner } from './postgres-os-user.ts';

/**
 * `d=$(mktemp -d); git clone … $d/c; cd $d/c; npm ci; npm test` as root: the server runs as the
 * OS user `postgres`, which cannot search $d (mode 0700) and so cannot reach node_modules.
 * Only the binaries' folder matters to that user, so the clone is mimicked by that folder at
 * its place in node_modules, hard-linked (a copy across file systems): a symlink would not do,
 * as the setup resolves packages to their real paths, outside $d.
 */
describe('the embedded PostgreSQL from a checkout in a folder others cannot search', () => {
  it('starts, answers and can be driven with pg_ctl by its OS user', async (ctx) => {
    if (userInfo().uid !== 0) {
      ctx.skip(
        'only root runs the server as another OS user; any other user reaches its own files',
      );
    }
    const owner = postgresOwner();
    if (!owner) throw new Error('root, but no OS user to run PostgreSQL as');
    const closed = mkdtempSync(join(tmpdir(), 'taskmill-closed-'));
    chmodSync(closed, 0o700);
    const clone = join(closed, 'c');
    const installed = await platformPostgres();
    const binaries = join(clone, 'node_modules', installed.split('/node_modules/').at(-1) ?? '');
    mkdirSync(dirname(binaries), { recursive: true });
    linkOrCopy(installed, binaries);
    const cwd = process.cwd();
    try {
      // The layout is faithful only if the old setup, which ran the binaries in place, fails.
      const inPlace = spawnSync(binariesIn(binaries).postgres, ['--version'], owner);
      expect(inPlace.status).not.toBe(0);
      // `npm test` runs from the checkout: the spawned programs start there as well.
      process.chdir(clone);
      const server = await startEmbedded({ binaries });
      try {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        const rows = (await client.query<{ one: number }>('select 1 as one')).rows;
        await client.end();
        expect(rows).toEqual([{ one: 1 }]);
        // What test/helpers/private-postgres.ts does with the handles: pg_ctl as the OS user.
        const { dataDir, pgCtl, osUser } = server.handles;
        expect(osUser).toEqual(owner);
        const status = spawnSync(pgCtl, ['status', '-D', dataDir], { ...owner, encoding: 'utf8' });
        expect({
          status: status.status,
          error: status.error?.message,
          stderr: status.stderr,
        }).toEqual({ status: 0, error: undefined, stderr: '' });
      } finally {
        await server.stop();
      }
    } finally {
      process.chdir(cwd);
      rmSync(closed, { recursive: true, force: true });
    }
  });
});

/** Hard links take no time and no space; across file systems only a copy will do. */
function linkOrCopy(from: string, to: string): void {
  try {
    execFileSync('cp', ['-al', from, to], { stdio: 'pipe' });
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}
