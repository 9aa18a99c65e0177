/**
 * The client-side timeouts a `postgres://` URL sets (`connectTimeoutMs`, `queryTimeoutMs`):
 * checked when the URL is read, handed to every session, and what they do on a link that
 * silently stops moving bytes (a relay of the test's own, stalled).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { openStore } from '../../src/store/open.ts';
import { PgConnection } from '../../src/store/postgres/connection.ts';
import { parsePostgresUrl, targetOf } from '../../src/store/postgres/url.ts';
import { errorOf } from '../helpers/error-of.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { type TcpProxy, tcpProxy } from '../helpers/tcp-proxy.ts';

const SECRET = 'pa55-W0rd-never-shown';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('postgres URL timeouts', () => {
  it('refuses a timeout that is not a whole number of ms from 100 to 2^31-1, naming it', async () => {
    for (const [name, value] of [
      ['queryTimeoutMs', '0'],
      ['queryTimeoutMs', '99'],
      ['queryTimeoutMs', '1.5'],
      ['queryTimeoutMs', '-1000'],
      ['queryTimeoutMs', '2147483648'],
      ['connectTimeoutMs', 'soon'],
      ['connectTimeoutMs', ''],
    ] as const) {
      const url = `postgres://ada:${SECRET}@db.example:5432/app?${name}=${value}`;
      const error = await errorOf(openStore(url));
      expect(error, url).toBeInstanceOf(StoreError);
      expect(error.code, url).toBe('DATABASE_URL_INVALID');
      expect(error.message, url).toContain(`${name} "${value}"`);
      expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
    }
  });

  it('takes its parameters out of the URL pg sees', () => {
    const where = parsePostgresUrl(
      'postgres://ada@db.example/app?queryTimeoutMs=100&connectTimeoutMs=2147483647&sslmode=disable',
    );
    expect(where).toMatchObject({ queryTimeoutMs: 100, connectTimeoutMs: 2_147_483_647 });
    expect(where.connectionString).toBe('postgres://ada@db.example/app?sslmode=disable');
  });

  it("sets the server's statement and idle-in-transaction timeouts a little below the client's", async () => {
    const fresh = await freshSchema('timeouts_show');
    cleanups.push(fresh.drop);
    const where = parsePostgresUrl(`${fresh.url}&queryTimeoutMs=20000`);
    const conn = new PgConnection(targetOf(where, fresh.schema), 1);
    cleanups.push(() => conn.close());
    const shown = await conn
      .session()
      .all<{ s: string; i: string }>(
        'show-timeouts',
        [],
        () =>
          "SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i",
      );
    expect(shown).toEqual([{ s: '18s', i: '18s' }]);
  });
});

describe('a link that stops moving bytes', () => {
  const QUERY_TIMEOUT_MS = 1_000;
  const CONNECT_TIMEOUT_MS = 1_000;

  async function relayed(): Promise<{ conn: PgConnection; proxy: TcpProxy }> {
    const fresh = await freshSchema('timeouts_stall');
    cleanups.push(fresh.drop);
    const where = parsePostgresUrl(fresh.url);
    const proxy = await tcpProxy({ host: where.host, port: where.port });
    cleanups.push(() => proxy.cut());
    const url = new URL(where.connectionString);
    url.port = String(proxy.port);
    url.searchParams.set('queryTimeoutMs', String(QUERY_TIMEOUT_MS));
    url.searchParams.set('connectTimeoutMs', String(CONNECT_TIMEOUT_MS));
    const conn = new PgConnection(targetOf(parsePostgresUrl(url.toString()), fresh.schema), 1);
    cleanups.push(() => conn.close());
    return { conn, proxy };
  }

  const backendPid = (conn: PgConnection) =>
    conn
      .session()
      .all<{ pid: number }>('backend-pid', [], () => 'SELECT pg_backend_pid() AS pid')
      .then((rows) => rows[0]?.pid);

  it('fails a transaction once, as an outage, drops its connection and opens a new one after', async () => {
    const { conn, proxy } = await relayed();
    const before = await backendPid(conn);
    proxy.stall();
    const started = Date.now();
    const error = await errorOf(
      conn.transaction((s) => s.all('stalled', [], () => 'SELECT 1 AS one')),
    );
    const tookMs = Date.now() - started;
    expect(error.code).toBe('STORE_UNAVAILABLE');
    // One query timeout, not a second one waited out by a ROLLBACK on the dead connection.
    expect(tookMs).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
    expect(tookMs).toBeLessThan(2 * QUERY_TIMEOUT_MS);
    // No connection left to reuse: a new one is needed, and it cannot be made either.
    const connectError = await errorOf(backendPid(conn));
    expect(connectError.code).toBe('STORE_UNAVAILABLE');
    proxy.resume();
    const after = await backendPid(conn);
    expect(after).toBeTypeOf('number');
    expect(after, 'a fresh session, not the one that timed out').not.toBe(before);
  }, 15_000);

  it('drops the connection of a single statement that timed out', async () => {
    const { conn, proxy } = await relayed();
    const before = await backendPid(conn);
    proxy.stall();
    const error = await errorOf(backendPid(conn));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    proxy.resume();
    expect(await backendPid(conn)).not.toBe(before);
  }, 15_000);
});
