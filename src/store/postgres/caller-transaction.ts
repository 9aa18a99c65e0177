import type pg from 'pg';
import { ValidationError } from '../../core/errors.ts';
import { PgSession } from './connection.ts';

function isClient(value: unknown): value is pg.ClientBase {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { query?: unknown }).query === 'function'
  );
}

/**
 * Run statements through the caller's own client, inside the transaction it holds open
 * (transactional submit): what they write exists only if the caller commits, and the NOTIFY that
 * wakes workers is delivered only then. A savepoint keeps a failure of ours from aborting the
 * caller's transaction, and the caller's `search_path` is put back before returning.
 */
export async function inCallerTransaction<T>(
  transaction: unknown,
  schema: string,
  fn: (s: PgSession) => Promise<T>,
): Promise<T> {
  if (!isClient(transaction)) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Option "client" must be a pg Client or PoolClient.',
      [{ path: 'client', message: 'expected a pg client' }],
    );
  }
  const s = new PgSession(transaction, { prepared: false });
  try {
    await s.exec('SAVEPOINT taskmill_call', 'savepoint');
  } catch (e) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Option "client" must be inside a transaction: call BEGIN on it first, and COMMIT after submitting.',
      [{ path: 'client', message: 'expected a client inside a transaction' }],
      { cause: e instanceof Error ? e.message : String(e) },
    );
  }
  try {
    const [previous] = await s.all<{ previous: string }>('search-path-set', [schema]);
    const result = await fn(s);
    await s.all('search-path-set', [previous?.previous ?? '"$user", public']);
    await s.exec('RELEASE SAVEPOINT taskmill_call', 'release savepoint');
    return result;
  } catch (e) {
    // Also undoes the search_path change, which was made after the savepoint.
    await s.exec('ROLLBACK TO SAVEPOINT taskmill_call', 'rollback to savepoint');
    throw e;
  }
}
