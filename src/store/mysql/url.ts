/**
 * `mysql://` and `mariadb://` URLs: user, password, host, port and database, plus taskmill's own
 * query parameters `pool`, `connectTimeoutMs` and `queryTimeoutMs`. Any other parameter is
 * refused rather than silently ignored. Nothing here ever echoes the password.
 */
import { StoreError } from '../../core/errors.ts';
import { redactUrl } from '../../core/redact-url.ts';
import type { MyTarget } from './connection.ts';

export const DEFAULT_POOL_SIZE = 10;
const MAX_POOL_SIZE = 1000;
/** Below this a timeout would fire on a healthy server's ordinary jitter; above the longest Node
 * timer it would fire at once. */
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 2_147_483_647;
export const DEFAULT_TIMEOUTS = { connectTimeoutMs: 10_000, queryTimeoutMs: 65_000 } as const;
/** Unquoted identifier characters only: the name reaches CREATE DATABASE in tests and dumps. */
const DATABASE_RE = /^[A-Za-z0-9_$]{1,64}$/;
const PARAMS = ['pool', 'connectTimeoutMs', 'queryTimeoutMs'];

export interface MysqlUrl {
  target: MyTarget;
  /** `pool`, when the URL sets it. */
  poolSize: number | null;
}

function invalid(url: string, why: string): StoreError {
  const shown = redactUrl(url);
  return new StoreError(
    'DATABASE_URL_INVALID',
    `The database URL "${shown}" is not valid: ${why}. Use mysql://user:password@host:3306/database (or mariadb://…), optionally with ?pool=10&connectTimeoutMs=10000&queryTimeoutMs=65000.`,
    { details: { url: shown, reason: why } },
  );
}

function decode(url: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(url, 'a %-escape in it is malformed');
  }
}

function wholeNumber(url: string, name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(url, `${name} "${text}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseMysqlUrl(url: string): MysqlUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'it does not parse as a URL (check the host, the port and %-escapes)');
  }
  if (!/^(mysql|mariadb):$/i.test(parsed.protocol)) {
    throw invalid(url, 'it must start with mysql:// or mariadb://');
  }
  for (const key of parsed.searchParams.keys()) {
    if (!PARAMS.includes(key)) {
      throw invalid(url, `the parameter "${key}" is unknown (known: ${PARAMS.join(', ')})`);
    }
  }
  const param = (name: string, min: number, max: number): number | null => {
    const text = parsed.searchParams.get(name);
    return text === null ? null : wholeNumber(url, name, text, min, max);
  };
  const poolSize = param('pool', 1, MAX_POOL_SIZE);
  const connectTimeoutMs = param('connectTimeoutMs', MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const queryTimeoutMs = param('queryTimeoutMs', MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const database = decode(url, parsed.pathname.replace(/^\//, ''));
  if (!DATABASE_RE.test(database)) {
    throw invalid(
      url,
      database === ''
        ? 'it names no database (add /name after the host)'
        : `database "${database}" must be 1 to 64 letters, digits, _ or $`,
    );
  }
  if (parsed.hostname === '') throw invalid(url, 'it names no host');
  return {
    poolSize,
    target: {
      host: decode(url, parsed.hostname).replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port === '' ? 3306 : Number(parsed.port),
      user: decode(url, parsed.username) || 'root',
      password: decode(url, parsed.password),
      database,
      connectTimeoutMs: connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs,
      queryTimeoutMs: queryTimeoutMs ?? DEFAULT_TIMEOUTS.queryTimeoutMs,
    },
  };
}
