/**
 * `postgres://` URLs: taskmill's own query parameters (`schema`, `pool`) are taken out, the rest
 * goes to `pg` unchanged. Nothing here ever echoes the password.
 */
import { StoreError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact-url.ts';

export const DEFAULT_SCHEMA = 'taskmill';
export const DEFAULT_POOL_SIZE = 10;
/** Lower-case, unquoted-identifier safe, and short enough that `<schema>_wakeup` stays a valid
 * channel name (63 bytes). */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,49}$/;
const MAX_POOL_SIZE = 1000;

export interface PostgresUrl {
  /** The URL as `pg` should see it: without `schema` and `pool`. */
  connectionString: string;
  schema: string | null;
  poolSize: number | null;
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
    `The database URL "${shown}" is not valid: ${why}. Use postgres://user:password@host:5432/database, optionally with ?schema=name&pool=10.`,
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
  const schemaParam = parsed.searchParams.get('schema');
  const poolParam = parsed.searchParams.get('pool');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  const schema = schemaParam === null ? null : checkSchemaName(url, schemaParam);
  const poolSize = poolParam === null ? null : parsePoolSize(url, poolParam);
  const user = decode(parsed.username) || process.env['PGUSER'] || process.env['USER'] || '';
  return {
    connectionString: parsed.toString(),
    schema,
    poolSize,
    host: decode(parsed.hostname) || parsed.searchParams.get('host') || 'localhost',
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database: decode(parsed.pathname.replace(/^\//, '')) || user,
    user,
    password: decode(parsed.password),
  };
}
