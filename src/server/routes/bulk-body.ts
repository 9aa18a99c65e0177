/** The filter of a bulk change's body (`POST /api/v1/tasks/retry`, `…/cancel`): the task list's
 * query (`GET /api/v1/tasks`) less its sort and page, so a table's filter goes as it is. */
import { BULK_MAX, type BulkFilter } from '../../core/bulk-filter.ts';

const names = { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 100 } as const;

/** The body properties every bulk change takes; each route adds `status` and its own. */
export function bulkFilterProperties(defaultLimit: number) {
  return {
    type: names,
    queue: names,
    name: {
      type: 'string',
      maxLength: 200,
      description: "Text in the task's name (case-insensitive, literal)",
    },
    q: {
      type: 'string',
      maxLength: 200,
      description: 'Text to find in the id, name, type, input or error (case-insensitive, literal)',
    },
    createdFrom: { type: 'string', format: 'date-time', description: 'Created at or after' },
    createdTo: { type: 'string', format: 'date-time', description: 'Created before' },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: BULK_MAX,
      description: `At most this many tasks, oldest first; default ${defaultLimit.toLocaleString('en')}`,
    },
  } as const;
}

export interface BulkBody {
  type?: string[];
  queue?: string[];
  name?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  limit?: number;
}

/** The body's filter in the library's words (`search`, times as Date). */
export function bulkFilterOf(body: BulkBody): BulkFilter {
  const { q, createdFrom, createdTo, ...rest } = body;
  return {
    ...rest,
    ...(q === undefined ? {} : { search: q }),
    ...(createdFrom === undefined ? {} : { createdFrom: new Date(createdFrom) }),
    ...(createdTo === undefined ? {} : { createdTo: new Date(createdTo) }),
  };
}

export const idList = { type: 'array', items: { type: 'string' } } as const;
