/** Where the CLI sends a command: the database, or a server (`--server`, TASKMILL_SERVER). */
import { describe, expect, it } from 'vitest';
import { openAccess, openSession, serverUrl } from '../../src/cli/open-mill.ts';

const URL = 'http://127.0.0.1:3000';

describe('the CLI chooses database or server in one place', () => {
  it('takes --server, else TASKMILL_SERVER unless --database is given', () => {
    const env = { TASKMILL_SERVER: 'http://from-env:1' };
    expect(serverUrl({ server: URL }, env)).toBe(URL);
    expect(serverUrl({}, env)).toBe('http://from-env:1');
    expect(serverUrl({ database: 'sqlite:x.db' }, env)).toBeUndefined();
    expect(serverUrl({}, { TASKMILL_SERVER: '' })).toBeUndefined();
    expect(serverUrl({}, {})).toBeUndefined();
  });

  it('refuses --server with --database, and for the commands that need the database', async () => {
    await expect(
      openAccess({ server: URL, database: 'sqlite:x.db' }, { needsDefinitions: false }, {}),
    ).rejects.toMatchObject({ code: 'OPTIONS_INVALID' });
    await expect(
      openSession({ server: URL, command: 'migrate' }, { needsDefinitions: false }),
    ).rejects.toThrow(/taskmill migrate works on the database itself/);
  });

  it('goes over HTTP without loading a tasks module, with the token from TASKMILL_TOKEN', async () => {
    const access = await openAccess(
      { server: URL, tasks: '/nowhere/tasks.ts' },
      { needsDefinitions: true },
      { TASKMILL_TOKEN: 't0ken-0123456789abcdef' },
    );
    expect(access.dataDir).toBeNull();
    expect(await access.executions('x')).toBeNull();
    await access.close();
  });
});
