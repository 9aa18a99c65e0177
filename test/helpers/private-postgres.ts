import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import type { EmbeddedHandles } from '../setup/embedded-postgres.ts';
import { freePort } from './free-port.ts';

/** Why a test that restarts or kills a server cannot run, or null when it can. */
export function privateServerUnavailable(): string | null {
  return inject('embeddedPostgres') === null
    ? 'TASKMILL_TEST_DATABASE_URL names an outside server, which a test must not restart; ' +
        'unset it to run this test on the embedded PostgreSQL'
    : null;
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  /** `pg_ctl restart -m fast`: resolves once the server accepts connections again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const PG_CTL_TIMEOUT_S = 30;

/**
 * A PostgreSQL server of its own for one test file, built with the embedded server's binaries
 * (its `pg_ctl`, run as its OS user). A test that restarts a server or ends every session must not
 * do it to the shared one: the other vitest worker's tests are using it at that moment. Its
 * folder sits beside the shared server's data folder, so the setup's teardown removes it even
 * after a run that never got to `stop()`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const handles = inject('embeddedPostgres');
  if (handles === null) throw new Error(privateServerUnavailable() ?? 'no embedded server');
  const dir = mkdtempSync(join(dirname(handles.dataDir), 'private-'));
  if (handles.osUser) chownSync(dir, handles.osUser.uid, handles.osUser.gid);
  const dataDir = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const pgCtl = (args: string[]) => runPgCtl(handles, [...args, '-D', dataDir], log);
  // A vitest worker that dies before stop() must not leave the server running.
  const onExit = (): void => quitPostmaster(dataDir);
  process.once('exit', onExit);
  try {
    await pgCtl([
      'init',
      '-s',
      '-o',
      '--auth=trust --username=postgres --encoding=UTF8 --locale=C --no-sync --no-instructions',
    ]);
    await pgCtl([
      'start',
      '-w',
      '-t',
      String(PG_CTL_TIMEOUT_S),
      '-s',
      '-l',
      log,
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`,
    ]);
  } catch (error) {
    quitPostmaster(dataDir);
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    // `restart` starts the server again with the options it was last started with.
    restart: () =>
      pgCtl(['restart', '-m', 'fast', '-w', '-t', String(PG_CTL_TIMEOUT_S), '-s', '-l', log]),
    async stop() {
      try {
        await pgCtl(['stop', '-m', 'immediate', '-w', '-s']);
      } catch {
        quitPostmaster(dataDir);
      } finally {
        process.removeListener('exit', onExit);
        rmSync(dir, { recursive: true, force: true, maxRetries: 20 });
      }
    },
  };
}

/** Asynchronous, so the test's own load keeps running while the server restarts. With `-l` the
 * server writes to its log, not to our pipes, so the call ends when pg_ctl does. */
function runPgCtl(handles: EmbeddedHandles, args: string[], log: string): Promise<void> {
  const user = handles.osUser;
  return new Promise((resolve, reject) => {
    execFile(
      handles.pgCtl,
      args,
      {
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
        timeout: (PG_CTL_TIMEOUT_S + 10) * 1000,
        encoding: 'utf8',
      },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        let tail = '';
        try {
          tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
        } catch {
          // No log yet (initdb failed).
        }
        reject(new Error(`pg_ctl ${args[0]} failed: ${stderr.trim() || error.message}\n${tail}`));
      },
    );
  });
}

function quitPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // SIGQUIT: immediate shutdown; the folder is thrown away.
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // No server, or already gone.
  }
}
