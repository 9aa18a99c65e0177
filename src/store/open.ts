/** Opens the store a database URL names. The one place that knows which adapters exist. */
import { isAbsolute, resolve } from 'node:path';
import { StoreError } from '../core/errors.ts';
import { redactUrl } from '../core/redact-url.ts';
import type { Store } from './contract.ts';

const ACCEPTED =
  'sqlite:./relative.db, sqlite:relative.db, sqlite:/absolute/path.db, sqlite::memory:, postgres://user:password@host:5432/database?schema=taskmill&pool=10, mysql://user:password@host:3306/database?pool=10, mariadb://user:password@host:3306/database';

type Parsed =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres' }
  | { kind: 'mysql' }
  | { kind: 'invalid' };

function parse(url: string): Parsed {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres' };
  if (/^(mysql|mariadb):\/\//i.test(url)) return { kind: 'mysql' };
  if (!url.startsWith('sqlite:')) return { kind: 'invalid' };
  let rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') return { kind: 'sqlite', path: ':memory:' };
  // `sqlite:///abs.db` is the usual spelling elsewhere; `sqlite://x` would read as a host.
  if (rest.startsWith('///')) rest = rest.slice(2);
  else if (rest.startsWith('//')) return { kind: 'invalid' };
  if (rest.trim() === '' || rest.includes('\0')) return { kind: 'invalid' };
  return { kind: 'sqlite', path: rest };
}

/** The file a `sqlite:` URL points at, made absolute; null for memory or other URLs. */
export function sqliteFilePath(url: string): string | null {
  const parsed = parse(url);
  if (parsed.kind !== 'sqlite' || parsed.path === ':memory:') return null;
  return isAbsolute(parsed.path) ? parsed.path : resolve(parsed.path);
}

export async function openStore(
  url: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<Store> {
  const parsed = parse(url);
  // The adapters load when first opened: a program (or a thread or process of an executor pool,
  // which imports taskmill with its task module) does not pay for a driver it never uses.
  // Query parameters (`schema`, `pool`, timeouts) are read and checked by the adapter's URL parser.
  if (parsed.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore({ url });
  }
  if (parsed.kind === 'mysql') {
    const { openMysqlStore } = await import('./mysql/index.ts');
    return openMysqlStore({ url });
  }
  if (parsed.kind === 'invalid') {
    throw new StoreError(
      'DATABASE_URL_INVALID',
      `The database URL "${redactUrl(url)}" is not one taskmill understands; use one of: ${ACCEPTED}.`,
      { details: { url: redactUrl(url), accepted: ACCEPTED.split(', ') } },
    );
  }
  const path = parsed.path === ':memory:' ? ':memory:' : (sqliteFilePath(url) as string);
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return openSqliteStore({ path, busyTimeoutMs: options.busyTimeoutMs });
}
