/**
 * `retryMany` and `cancelMany` over `POST /api/v1/tasks/retry` and `…/cancel`: the library's
 * filter (BulkChanges in src/core/bulk-filter.ts) as the API's body, which is the task list's
 * query in its words (`q` for `search`, times as ISO strings, lists as arrays).
 */
import {
  type BulkChanges,
  type BulkFilter,
  CANCEL_MANY_SPEC,
  RETRY_MANY_SPEC,
} from '../core/bulk-filter.ts';
import { checkOptions } from '../core/options-check.ts';
import type { Decoder } from './decode.ts';
import type { Transport } from './http.ts';

const listOf = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];

const iso = (v: Date | number | undefined): string | undefined =>
  v === undefined ? undefined : new Date(v).toISOString();

/** The body of a bulk change: undefined fields are left out by JSON. */
function bulkBody(filter: BulkFilter & { status?: string | string[] }): Record<string, unknown> {
  const { search, createdFrom, createdTo, type, queue, status, ...rest } = filter;
  return {
    ...rest,
    status: listOf(status),
    type: listOf(type),
    queue: listOf(queue),
    q: search,
    createdFrom: iso(createdFrom),
    createdTo: iso(createdTo),
  };
}

export function bulkOperations(http: Transport, decode: Decoder): BulkChanges {
  const ids = (body: Record<string, unknown>, key: string) =>
    decode.array(body[key], key).map(String);
  return {
    async retryMany(filter = {}) {
      checkOptions(RETRY_MANY_SPEC, filter ?? null);
      const body = decode.object(
        await http.json({ method: 'POST', path: '/api/v1/tasks/retry', body: bulkBody(filter) }),
        'the retry answer',
        ['retried', 'skipped'],
      );
      return { retried: ids(body, 'retried'), skipped: ids(body, 'skipped') };
    },

    async cancelMany(filter = {}) {
      checkOptions(CANCEL_MANY_SPEC, filter ?? null);
      const body = decode.object(
        await http.json({ method: 'POST', path: '/api/v1/tasks/cancel', body: bulkBody(filter) }),
        'the cancel answer',
        ['cancelled', 'skipped'],
      );
      return { cancelled: ids(body, 'cancelled'), skipped: ids(body, 'skipped') };
    },
  };
}
