/**
 * One `node:sqlite` connection with the two habits every statement needs: named statements read
 * from `sql/` and prepared once, and transactions that never leak SQLITE_BUSY to callers.
 *
 * `node:sqlite` is synchronous, so while SQLite waits on another process's lock the whole event
 * loop stands still. The driver's own busy timeout is therefore kept short, and the wait beyond it
 * happens here, between attempts, as `setTimeout` sleeps the event loop can use.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { ClosedError, StoreError } from '../../core/errors.ts';
import { loadSql } from '../sql-files.ts';

export const ADAPTER_DIR = fileURLToPath(new URL('.', import.meta.url));

/** How long a write keeps retrying a locked database before giving up with STORE_BUSY. */
const BUSY_GIVE_UP_MS = 30_000;
const SLEEP_MIN_MS = 2;
const SLEEP_MAX_MS = 40;

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

interface SqliteDriverError {
  code: string;
  errcode: number;
  message: string;
}

export function isDriverError(e: unknown): e is SqliteDriverError {
  return (
    e instanceof Error &&
    (e as Partial<SqliteDriverError>).code === 'ERR_SQLITE_ERROR' &&
    typeof (e as Partial<SqliteDriverError>).errcode === 'number'
  );
}

export function isBusy(e: unknown): boolean {
  if (!isDriverError(e)) return false;
  // Extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE…) keep the primary code in
  // their low byte.
  const primary = e.errcode & 0xff;
  return primary === SQLITE_BUSY || primary === SQLITE_LOCKED;
}

/** A write to a file opened read-only: what is wrong and what to do, not "a bug". */
export function readOnlyError(path: string, why = ''): StoreError {
  return new StoreError(
    'DATABASE_READ_ONLY',
    `The SQLite database ${path} is read-only for this process (the file or its folder cannot be written, or the file's mode has no write permission)${why}: only ls, show, logs, stats, workers and queues work on it. Run this command as a user who may write the file and its folder, or make them writable.`,
    { details: { path } },
  );
}

export function queryFailed(statement: string, cause: unknown): StoreError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreError('STORE_QUERY_FAILED', `SQLite statement "${statement}" failed: ${reason}`, {
    cause,
    details: { statement },
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Row = Record<string, unknown>;

export class SqliteConnection {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;
  /** Set when the file was opened read-only: every write is then refused before it starts. */
  readOnlyFile: string | null = null;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** A statement from `sql/<name>.sql` (or from `text`, for allow-listed variants of a file). */
  private statement(name: string, text?: () => string): StatementSync {
    let stmt = this.statements.get(name);
    if (stmt === undefined) {
      try {
        stmt = this.db.prepare(text === undefined ? loadSql(ADAPTER_DIR, name) : text());
      } catch (e) {
        if (isBusy(e)) throw e;
        throw queryFailed(name, e);
      }
      this.statements.set(name, stmt);
    }
    return stmt;
  }

  /** Prepare a variant of a statement file once, under its own cache key. */
  prepareVariant(key: string, text: () => string): void {
    this.statement(key, text);
  }

  all<T = Row>(name: string, ...params: SQLInputValue[]): T[] {
    const stmt = this.statement(name);
    try {
      return stmt.all(...params) as T[];
    } catch (e) {
      if (isBusy(e)) throw e;
      throw queryFailed(name, e);
    }
  }

  get<T = Row>(name: string, ...params: SQLInputValue[]): T | undefined {
    const stmt = this.statement(name);
    try {
      return stmt.get(...params) as T | undefined;
    } catch (e) {
      if (isBusy(e)) throw e;
      throw queryFailed(name, e);
    }
  }

  run(name: string, ...params: SQLInputValue[]): { changes: number; lastInsertRowid: number } {
    const stmt = this.statement(name);
    try {
      const r = stmt.run(...params);
      return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
    } catch (e) {
      if (isBusy(e)) throw e;
      throw queryFailed(name, e);
    }
  }

  /** Run SQL text that may hold several statements (a migration, a pragma); `label` names it in
   * errors. */
  exec(sql: string, label: string = sql): void {
    try {
      this.db.exec(sql);
    } catch (e) {
      if (isBusy(e)) throw e;
      throw queryFailed(label, e);
    }
  }

  /**
   * Run `fn` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front, so a transaction
   * never fails half-way for want of it. Any error rolls everything back. A locked database is
   * retried after a short jittered sleep until BUSY_GIVE_UP_MS has passed.
   */
  write<T>(fn: () => T): Promise<T> {
    if (this.readOnlyFile !== null) return Promise.reject(readOnlyError(this.readOnlyFile));
    return this.withRetry('BEGIN IMMEDIATE', fn);
  }

  /** Run `fn` inside a read transaction, so its statements see one snapshot. */
  read<T>(fn: () => T): Promise<T> {
    return this.withRetry('BEGIN', fn);
  }

  /** Run `fn` outside any transaction (pragmas), with the same busy retries. */
  untransacted<T>(fn: () => T): Promise<T> {
    return this.withRetry(null, fn);
  }

  private async withRetry<T>(begin: string | null, fn: () => T): Promise<T> {
    const started = Date.now();
    for (;;) {
      if (this.closed) throw new ClosedError('store');
      try {
        return this.attempt(begin, fn);
      } catch (e) {
        if (!isBusy(e)) throw e;
        if (Date.now() - started >= BUSY_GIVE_UP_MS) {
          throw new StoreError(
            'STORE_BUSY',
            `The database stayed locked by other processes for ${BUSY_GIVE_UP_MS / 1000} s; try again, or look for a process holding a long write transaction.`,
            { cause: e, details: { waitedMs: Date.now() - started } },
          );
        }
        await sleep(SLEEP_MIN_MS + Math.random() * (SLEEP_MAX_MS - SLEEP_MIN_MS));
      }
    }
  }

  private attempt<T>(begin: string | null, fn: () => T): T {
    if (begin === null) return fn();
    this.exec(begin);
    try {
      const result = fn();
      this.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}
