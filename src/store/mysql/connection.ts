/**
 * The `mysql2` pool with the habits every statement needs: named statements read from `sql/`,
 * BIGINT read as JS numbers (an unsafe one is an error, never a rounded number), JSON and JSON
 * text left as strings for the row mapping to parse (MySQL has a JSON type, MariaDB a LONGTEXT
 * with a check: parsing in one place keeps both alike), driver failures wrapped with the
 * statement's name, and transactions that always end (commit, or rollback and release).
 *
 * Every session runs READ COMMITTED (as PostgreSQL: statement-level snapshots, fewer gap locks)
 * with `time_zone = '+00:00'`. Parameters go through the driver's own escaping (`query`, the text
 * protocol) rather than server-side prepared statements: MySQL 8.0.22+ refuses the binary
 * protocol's DOUBLE for `LIMIT ?`, and the text protocol reads the same on both servers.
 */
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

type TypeCast = Exclude<NonNullable<mysql.ConnectionOptions['typeCast']>, boolean>;

import { ClosedError, StoreError } from '../../core/errors.ts';
import { loadSql } from '../sql-files.ts';

export const ADAPTER_DIR = fileURLToPath(new URL('.', import.meta.url));

export type Row = Record<string, unknown>;

/** Where to connect, already stripped of taskmill's own query parameters. */
export interface MyTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** How long opening a connection may take. */
  connectTimeoutMs: number;
  /** How long the client waits for any statement's answer before it gives up. */
  queryTimeoutMs: number;
}

/** Deadlock (1213) and lock wait timeout (1205): the transaction was rolled back (or its last
 * statement was) and running it again from the start is the server's advice. */
const RETRY_ERRNOS = new Set([1205, 1213]);
/** Attempts of one transaction in all, before the deadlock reaches the caller. */
const TRANSACTION_ATTEMPTS = 5;

/** Socket errors of Node and the driver's codes for a connection that ended. */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_GONE_ERROR',
  'ER_SERVER_LOST',
]);

interface MyDriverError {
  message: string;
  code?: string;
  errno?: number;
  sqlState?: string;
}

function driverError(cause: unknown): Partial<MyDriverError> {
  return (cause ?? {}) as Partial<MyDriverError>;
}

function isOutage(cause: unknown): boolean {
  const { code } = driverError(cause);
  if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true;
  if (cause instanceof AggregateError) return cause.errors.some(isOutage);
  return (
    cause instanceof Error &&
    /Connection lost|closed state|Query inactivity timeout/i.test(cause.message)
  );
}

function reasonOf(cause: unknown): string {
  if (cause instanceof Error && cause.message !== '') return cause.message;
  const { code } = driverError(cause);
  return typeof code === 'string' ? code : String(cause);
}

/** A deadlock or lock wait timeout, however deep in `cause` chains the driver error sits. */
export function isRetryable(e: unknown): boolean {
  let cause: unknown = e;
  for (let depth = 0; depth < 3 && cause !== undefined && cause !== null; depth += 1) {
    const { errno } = driverError(cause);
    if (typeof errno === 'number' && RETRY_ERRNOS.has(errno)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

export function queryFailed(statement: string, cause: unknown): StoreError {
  const { code, errno } = driverError(cause);
  return new StoreError(
    isOutage(cause) ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `MySQL statement "${statement}" failed: ${reasonOf(cause)}`,
    {
      cause,
      details: {
        statement,
        ...(typeof code === 'string' ? { driverCode: code } : {}),
        ...(typeof errno === 'number' ? { errno } : {}),
      },
    },
  );
}

/** Times, counts and sizes fit a double by far; SUM() and AVG() give DECIMAL. JSON stays text. */
const typeCast: TypeCast = (field, next) => {
  if (field.type === 'LONGLONG' || field.type === 'NEWDECIMAL' || field.type === 'DECIMAL') {
    const text = field.string();
    if (text === null) return null;
    const n = Number(text);
    if (field.type === 'LONGLONG' && !Number.isSafeInteger(n)) {
      throw new RangeError(`The bigint ${text} does not fit a JavaScript number safely.`);
    }
    return n;
  }
  if (field.type === 'JSON') return field.string('utf8');
  return next();
};

type Queryable = Pick<mysql.Pool, 'query'>;

/** One connection (a pooled one in a transaction, or the pool itself for single statements). */
export class MySession {
  private readonly client: Queryable;
  private readonly timeoutMs: number;

  constructor(client: Queryable, timeoutMs: number) {
    this.client = client;
    this.timeoutMs = timeoutMs;
  }

  private async raw(name: string, params: unknown[], text?: () => string): Promise<unknown> {
    let sql: string;
    try {
      sql = text === undefined ? loadSql(ADAPTER_DIR, name) : text();
    } catch (e) {
      throw queryFailed(name, e);
    }
    try {
      const [result] = await this.client.query({ sql, timeout: this.timeoutMs }, params);
      return result;
    } catch (e) {
      throw queryFailed(name, e);
    }
  }

  /** Run sql/<name>.sql (SELECT) and return its rows; `text` replaces the file for allow-listed
   * variants (a list's sort), named by `name` in errors. */
  async all<T = Row>(name: string, params: unknown[] = [], text?: () => string): Promise<T[]> {
    const result = await this.raw(name, params, text);
    if (!Array.isArray(result)) {
      throw queryFailed(name, new Error('the statement returned no rows (is it a SELECT?)'));
    }
    return result as T[];
  }

  async get<T = Row>(name: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(name, params))[0];
  }

  /** Run sql/<name>.sql (INSERT/UPDATE/DELETE): rows changed (found rows for UPDATE: the pool
   * sets flags FOUND_ROWS so an UPDATE reports matched rows), and the insert id. */
  async run(
    name: string,
    params: unknown[] = [],
  ): Promise<{ affectedRows: number; insertId: number }> {
    const result = (await this.raw(name, params)) as Partial<mysql.ResultSetHeader>;
    return { affectedRows: result.affectedRows ?? 0, insertId: result.insertId ?? 0 };
  }

  /** SQL text without parameters, possibly several statements (a migration, on the migration
   * connection only); `label` names it in errors. */
  async exec(sql: string, label: string): Promise<void> {
    await this.raw(label, [], () => sql);
  }
}

function connectionOptions(target: MyTarget): mysql.ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectTimeout: target.connectTimeoutMs,
    // A peer that vanished without closing the socket is noticed instead of waited on forever.
    enableKeepAlive: true,
    // UPDATE reports matched rows, not changed ones: "did it find the row" is what callers ask.
    flags: ['FOUND_ROWS'],
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    supportBigNumbers: true,
    jsonStrings: true,
    typeCast,
  };
}

/** How long MariaDB lets one of these sessions sit idle inside a transaction before it ends the
 * session (rolling back). The adapter sends a transaction's statements back to back, so only a
 * frozen or cut-off process waits that long, and its row locks must not outlive the lease other
 * workers wait out to recover its tasks (seen: a SIGSTOPped worker stalling a rescuer's settle). */
export const IDLE_TRANSACTION_S = 5;

/** The same settings on every session, before its first statement. The last is MariaDB's own;
 * MySQL has no such variable and refuses it, which is ignored like the others' answers. */
const SESSION_SETUP = [
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
  "SET time_zone = '+00:00'",
  `SET SESSION idle_transaction_timeout = ${IDLE_TRANSACTION_S}`,
];

function setUpSessions(pool: mysql.Pool): void {
  // The 'connection' event gives the callback-API connection; commands queue in order, so these
  // run before anything the pool hands out on it.
  pool.pool.on('connection', (conn) => {
    for (const sql of SESSION_SETUP) conn.query(sql, () => {});
  });
}

/** A named lock (GET_LOCK) taken before a transaction and released after it ended. */
export interface SessionLock {
  take(s: MySession): Promise<void>;
  release(s: MySession): Promise<void>;
}

export class MyConnection {
  readonly pool: mysql.Pool;
  readonly target: MyTarget;
  /** Single statements, autocommit, on the pool. */
  readonly direct: MySession;
  private closed = false;

  constructor(target: MyTarget, poolSize: number) {
    this.target = target;
    this.pool = mysql.createPool({ ...connectionOptions(target), connectionLimit: poolSize });
    setUpSessions(this.pool);
    // An idle connection whose server went away emits here; without a listener it would crash.
    this.pool.pool.on('error', () => {});
    this.direct = new MySession(this.pool, target.queryTimeoutMs);
  }

  private check(): void {
    if (this.closed) throw new ClosedError('store');
  }

  /** BEGIN … COMMIT on one pooled connection (READ COMMITTED); rolled back on a throw;
   * retried on deadlock / lock wait timeout, so `fn` must be safe to run again. `around`, when
   * given, runs on the same connection before BEGIN and after the transaction ended (a named
   * lock held until the changes are visible to the next holder). */
  async transaction<T>(fn: (s: MySession) => Promise<T>, around?: SessionLock): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(fn, around);
      } catch (e) {
        // At once, without a timer (a test's fake clock must not stall it): the deadlock's
        // other side holds its locks until it commits, so this run waits for them rather than
        // meeting it in a circle again.
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryable(e)) throw e;
      }
    }
  }

  private async once<T>(fn: (s: MySession) => Promise<T>, around?: SessionLock): Promise<T> {
    this.check();
    let conn: mysql.PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (e) {
      throw queryFailed('connect', e);
    }
    const session = new MySession(conn, this.target.queryTimeoutMs);
    let broken = false;
    let locked = false;
    try {
      if (around !== undefined) {
        await around.take(session);
        locked = true;
      }
      await session.exec('BEGIN', 'begin');
      const result = await fn(session);
      await session.exec('COMMIT', 'commit');
      return result;
    } catch (e) {
      if (e instanceof StoreError && e.code === 'STORE_UNAVAILABLE') broken = true;
      else {
        try {
          await conn.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw e;
    } finally {
      if (locked && !broken) {
        try {
          await around?.release(session);
        } catch {
          broken = true;
        }
      }
      // A connection in an unknown state (or holding a lock) is not handed to the next caller;
      // the server releases a session's named locks when it ends.
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  /**
   * `fn` on a connection of its own, outside the pool, that may run several statements in one
   * text: for migrations, which hold a GET_LOCK (a session lock) from the first statement to
   * the last.
   */
  async dedicated<T>(fn: (s: MySession) => Promise<T>): Promise<T> {
    this.check();
    const t = this.target;
    let conn: mysql.Connection;
    try {
      conn = await mysql.createConnection({
        ...connectionOptions(t),
        multipleStatements: true,
      });
      for (const sql of SESSION_SETUP) await conn.query(sql);
    } catch (e) {
      throw queryFailed('connect', e);
    }
    conn.on('error', () => {});
    try {
      return await fn(new MySession(conn, t.queryTimeoutMs));
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
