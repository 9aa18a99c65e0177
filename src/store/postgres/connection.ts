/**
 * The `pg` pool with the habits every statement needs: named statements read from `sql/` and
 * prepared once per connection, `int8` read as JS numbers, driver failures wrapped with the
 * statement's name, and transactions that always end (commit, or rollback and release).
 *
 * Every connection starts with `search_path` set to the store's schema, so the `.sql` files never
 * name it. Timeouts are finite (generous by default, shorter through the URL): a caller gets an
 * error, never a hang, when the server is gone or the network between silently drops everything.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ClosedError, StoreError } from '../../core/errors.ts';
import { loadSql } from '../sql-files.ts';

export const ADAPTER_DIR = fileURLToPath(new URL('.', import.meta.url));

const INT8_OID = 20;

/**
 * The server's `statement_timeout`, a little below the client's cut-off (5 s, or a tenth of it
 * when shorter): a slow statement on a live server ends with the server's own error on a
 * connection that stays usable; only a server (or network) that no longer answers at all meets
 * the client's. Also the bound on a session idle inside a transaction, so a client that vanished
 * mid-transaction does not hold its row locks until the network comes back.
 */
export function serverTimeoutMs(queryTimeoutMs: number): number {
  return queryTimeoutMs - Math.min(5_000, Math.floor(queryTimeoutMs / 10));
}

/** Times, counts and sizes fit a double by far; a value that does not is an error, not a
 * silently rounded number. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`The bigint ${text} does not fit a JavaScript number safely.`);
  }
  return n;
}

/** Per-pool type parsers, so an application's own `pg` settings are left alone. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Where to connect, already stripped of taskmill's own query parameters. */
export interface PgTarget {
  connectionString: string;
  schema: string;
  /** How long opening a connection may take. */
  connectTimeoutMs: number;
  /** How long the client waits for any statement's answer before it gives up on the connection. */
  queryTimeoutMs: number;
}

/** Options for the pool's connections and for the LISTEN connection alike. */
export function clientConfig(target: PgTarget): pg.ClientConfig {
  const serverMs = serverTimeoutMs(target.queryTimeoutMs);
  return {
    connectionString: target.connectionString,
    // The schema name is checked against a strict pattern (index.ts), so it needs no quoting.
    application_name: 'taskmill',
    // Short statements only: compiling one with JIT costs more than running it.
    options: `-c search_path=${target.schema} -c jit=off -c idle_in_transaction_session_timeout=${serverMs}`,
    // A peer that vanished without closing the socket is noticed instead of waited on forever
    // (after the system's keepalive time; a statement in flight meets `query_timeout` first).
    keepAlive: true,
    connectionTimeoutMillis: target.connectTimeoutMs,
    statement_timeout: serverMs,
    query_timeout: target.queryTimeoutMs,
    types: TYPES,
  };
}

interface PgDriverError {
  message: string;
  code?: string;
}

function reasonOf(cause: unknown): string {
  if (cause instanceof Error && cause.message !== '') return cause.message;
  const code = (cause as Partial<PgDriverError> | null)?.code;
  return typeof code === 'string' ? code : String(cause);
}

/** Socket errors of Node, and SQLSTATEs of a server that is going away or refuses connections. */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

/** The driver says these without a code when the socket ends or the connect times out. */
const OUTAGE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i;

/** The server is down or unreachable, as opposed to a statement that failed on a live one. */
function isOutage(cause: unknown): boolean {
  const code = (cause as Partial<PgDriverError> | null)?.code;
  if (typeof code === 'string' && (OUTAGE_CODES.has(code) || code.startsWith('08'))) return true;
  // A connect to every address of a name fails as one AggregateError of socket errors.
  if (cause instanceof AggregateError) return cause.errors.some(isOutage);
  return cause instanceof Error && OUTAGE_MESSAGE.test(cause.message);
}

export function queryFailed(statement: string, cause: unknown): StoreError {
  const code = (cause as Partial<PgDriverError> | null)?.code;
  return new StoreError(
    isOutage(cause) ? 'STORE_UNAVAILABLE' : 'STORE_QUERY_FAILED',
    `PostgreSQL statement "${statement}" failed: ${reasonOf(cause)}`,
    {
      cause,
      details: { statement, ...(typeof code === 'string' ? { sqlState: code } : {}) },
    },
  );
}

/**
 * For claims. Until the tasks table is analysed (autovacuum off, or a burst of submits the
 * statistics have not caught up with), the planner cannot estimate the claim's filters (types,
 * queues, the queues it must skip), guesses that almost no row matches, and then reads and sorts
 * every ready task instead of walking the ready index in claim order and stopping after LIMIT:
 * 46–55 ms instead of 1 ms on a queue of 100,000 (docs/project/benchmarks.md). In a transaction the
 * settings are local to it, in the same round trip as BEGIN; the claim connections (`hot`) have
 * them for the whole session, since nothing else runs there. They also keep the plan made when
 * the statement is first prepared (a generic plan): planning the settle-and-claim statement anew
 * for each round cost 1–2 ms, more than running it.
 */
const INDEX_ORDER =
  'enable_seqscan=off -c enable_bitmapscan=off -c plan_cache_mode=force_generic_plan';
const BEGIN_INDEX_ORDER =
  'BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off';

/** Connections set aside for the worker's settle-and-claim statement, out of the pool size. */
const HOT_CONNECTIONS = 2;

export type Row = Record<string, unknown>;
export type Param = unknown;

/** One connection (a pooled client, or the pool itself for single statements). */
export class PgSession {
  private readonly client: pg.Pool | pg.ClientBase;
  private readonly prepared: boolean;

  /** `prepared: false` for a connection that is not ours (a caller's client): our statement
   * names could clash with its own prepared statements. */
  constructor(client: pg.Pool | pg.ClientBase, options: { prepared?: boolean } = {}) {
    this.client = client;
    this.prepared = options.prepared ?? true;
  }

  /** Run the statement of `sql/<name>.sql`; `text` replaces it for allow-listed variants, which
   * then need their own `name`. */
  async all<T = Row>(name: string, params: Param[] = [], text?: () => string): Promise<T[]> {
    let sql: string;
    try {
      sql = text === undefined ? loadSql(ADAPTER_DIR, name) : text();
    } catch (e) {
      throw queryFailed(name, e);
    }
    try {
      const result = await this.client.query<T & pg.QueryResultRow>(
        this.prepared ? { name, text: sql, values: params } : { text: sql, values: params },
      );
      return result.rows;
    } catch (e) {
      throw queryFailed(name, e);
    }
  }

  async get<T = Row>(name: string, params: Param[] = []): Promise<T | undefined> {
    return (await this.all<T>(name, params))[0];
  }

  /** SQL text that may hold several statements and no parameters (a migration); `label` names
   * it in errors. */
  async exec(sql: string, label: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (e) {
      throw queryFailed(label, e);
    }
  }
}

export class PgConnection {
  readonly pool: pg.Pool;
  readonly target: PgTarget;
  private readonly direct: PgSession;
  /** The claim connections, when the pool is big enough to set some aside. */
  private readonly hotPool: pg.Pool | null;
  private readonly hotSession: PgSession | null;
  private closed = false;

  /** `poolSize` counts every connection this store opens, except the LISTEN one. */
  constructor(target: PgTarget, poolSize: number) {
    this.target = target;
    const hot = poolSize > HOT_CONNECTIONS ? HOT_CONNECTIONS : 0;
    this.pool = new pg.Pool({ ...clientConfig(target), max: poolSize - hot });
    // An idle client whose server went away emits here; the pool drops it and the next query
    // connects afresh. Without a listener the event would crash the process.
    this.pool.on('error', () => {});
    this.direct = new PgSession(this.pool);
    if (hot > 0) {
      const config = clientConfig(target);
      this.hotPool = new pg.Pool({
        ...config,
        options: `${config.options} -c ${INDEX_ORDER}`,
        max: hot,
      });
      this.hotPool.on('error', () => {});
      this.hotSession = new PgSession(this.hotPool);
    } else {
      this.hotPool = null;
      this.hotSession = null;
    }
  }

  /** A single statement is atomic by itself: no BEGIN/COMMIT round trips. */
  session(): PgSession {
    if (this.closed) throw new ClosedError('store');
    return this.direct;
  }

  /** The connections set aside for claims (0 on a pool of 1 or 2). */
  get claimConnections(): number {
    return this.hotSession === null ? 0 : HOT_CONNECTIONS;
  }

  /** For single claim statements, planned to walk the ready index; null on a pool of 1 or 2
   * (claims then run in a transaction that sets the same). */
  hot(): PgSession | null {
    if (this.closed) throw new ClosedError('store');
    return this.hotSession;
  }

  /** Run `fn` in one transaction on one pooled client; any error rolls everything back. */
  async transaction<T>(
    fn: (s: PgSession) => Promise<T>,
    options: { indexOrder?: boolean } = {},
  ): Promise<T> {
    if (this.closed) throw new ClosedError('store');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw queryFailed('connect', e);
    }
    const session = new PgSession(client);
    let broken = false;
    // The pool stops listening for a client's errors while it is checked out. A server that ends
    // the session between two statements (a restart, pg_terminate_backend) makes the client emit
    // 'error' with no query to fail, and an unheard 'error' event kills the process. Heard, the
    // client is marked broken, the next statement fails and the transaction ends as any failure.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await session.exec(options.indexOrder ? BEGIN_INDEX_ORDER : 'BEGIN', 'begin');
      const result = await fn(session);
      await session.exec('COMMIT', 'commit');
      return result;
    } catch (e) {
      // After a lost connection or a statement that never answered, a ROLLBACK would only wait
      // out another query timeout: the server rolls back when the session ends, which it does
      // once the destroyed client's socket closes (or at idle_in_transaction_session_timeout).
      if (e instanceof StoreError && e.code === 'STORE_UNAVAILABLE') broken = true;
      else {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw e;
    } finally {
      client.removeListener('error', onError);
      // A client that failed or could not roll back is in an unknown state: destroy it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.pool.end(), this.hotPool?.end()]);
  }
}
