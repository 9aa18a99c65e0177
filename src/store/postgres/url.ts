/**
 * `postgres://` URLs: taskmill's own query parameters (`schema`, `pool`, `connectTimeoutMs`,
 * `queryTimeoutMs`) are taken out, the rest goes to `pg` unchanged. Nothing here ever echoes the
 * password.
 */
import { StoreError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact-url.ts';
import type { PgTarget } from './connection.ts';

export const DEFAULT_SCHEMA = 'taskmill';
export const DEFAULT_POOL_SIZE = 10;
/** Lower-case, unquoted-identifier safe, and short enough that `<schema>_wakeup` stays a valid
 * channel name (63 bytes). */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,49}$/;
const MAX_POOL_SIZE = 1000;
/** Below this a timeout would fire on a healthy server's ordinary jitter; above the longest Node
 * timer it would fire at once. */
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 2_147_483_647;
export const DEFAULT_TIMEOUTS = { connectTimeoutMs: 10_000, queryTimeoutMs: 65_000 } as const;

export interface PostgresUrl {
  /** The URL as `pg` should see it: without `schema` and `pool`. */
  connectionString: string;
  schema: string | null;
  poolSize: number | null;
  /** `connectTimeoutMs`: how long opening a connection may take. */
  connectTimeoutMs: number | null;
  /** `queryTimeoutMs`: how long the client waits for the answer to any statement. */
  queryTimeoutMs: number | null;
  /** Where it points, for messages: never the password. */
  host: string;
  port: number;
  database: string;
  user: string;
  /** Only to scrub it from driver messages. */
  password: string;
}

export { redactUrl };

function invalid(url: string, why: string): StoreError {
  const shown = redactUrl(url);
  return new StoreError(
    'DATABASE_URL_INVALID',
    `The database URL "${shown}" is not valid: ${why}. Use postgres://user:password@host:5432/database, optionally with ?schema=name&pool=10&connectTimeoutMs=10000&queryTimeoutMs=65000.`,
    { details: { url: shown, reason: why } },
  );
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function checkSchemaName(url: string, schema: string): string {
  if (!SCHEMA_RE.test(schema)) {
    throw invalid(
      url,
      `schema "${schema}" must be 1 to 50 lower-case letters, digits or underscores, not starting with a digit`,
    );
  }
  return schema;
}

function parsePoolSize(url: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > MAX_POOL_SIZE) {
    throw invalid(url, `pool "${text}" must be a whole number from 1 to ${MAX_POOL_SIZE}`);
  }
  return n;
}

function parseTimeout(url: string, name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < MIN_TIMEOUT_MS || n > MAX_TIMEOUT_MS) {
    throw invalid(
      url,
      `${name} "${text}" must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`,
    );
  }
  return n;
}

/** Takes taskmill's parameter `name` out of `params`, parsed, or null when absent. */
function takeParam<T>(params: URLSearchParams, name: string, parse: (text: string) => T): T | null {
  const text = params.get(name);
  params.delete(name);
  return text === null ? null : parse(text);
}

export function parsePostgresUrl(url: string): PostgresUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'it does not parse as a URL (check the host, the port and %-escapes)');
  }
  if (!/^postgres(ql)?:$/i.test(parsed.protocol)) {
    throw invalid(url, 'it must start with postgres:// or postgresql://');
  }
  const params = parsed.searchParams;
  const schema = takeParam(params, 'schema', (text) => checkSchemaName(url, text));
  const poolSize = takeParam(params, 'pool', (text) => parsePoolSize(url, text));
  const timeout = (name: string) =>
    takeParam(params, name, (text) => parseTimeout(url, name, text));
  const connectTimeoutMs = timeout('connectTimeoutMs');
  const queryTimeoutMs = timeout('queryTimeoutMs');
  const user = decode(parsed.username) || process.env['PGUSER'] || process.env['USER'] || '';
  return {
    connectionString: parsed.toString(),
    schema,
    poolSize,
    connectTimeoutMs,
    queryTimeoutMs,
    host: decode(parsed.hostname) || parsed.searchParams.get('host') || 'localhost',
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database: decode(parsed.pathname.replace(/^\//, '')) || user,
    user,
    password: decode(parsed.password),
  };
}

/** Where `where` points, in `schema`, with the URL's timeouts or their defaults. */
export function targetOf(where: PostgresUrl, schema: string): PgTarget {
  return {
    connectionString: where.connectionString,
    schema,
    connectTimeoutMs: where.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs,
    queryTimeoutMs: where.queryTimeoutMs ?? DEFAULT_TIMEOUTS.queryTimeoutMs,
  };
}
