import type { FastifyInstance } from 'fastify';
import { RETRY_MANY_DEFAULT_LIMIT, type RetryableStatus } from '../../core/bulk-filter.ts';
import { RETRYABLE_STATUSES } from '../../core/status.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses } from '../schemas.ts';
import { type BulkBody, bulkFilterOf, bulkFilterProperties, idList } from './bulk-body.ts';

interface RetryManyBody extends BulkBody {
  status?: RetryableStatus[];
  maxAttempts?: number;
}

/**
 * `POST /api/v1/tasks/retry`: run again every failed (or timed-out, or cancelled) task that
 * matches a filter (`mill.retryMany`). Each task is retried on its own: a task that changed
 * meanwhile (retried by someone else) is skipped, not an error.
 */
export function retryManyRoute(app: FastifyInstance, mill: Taskmill): void {
  app.post<{ Body: RetryManyBody }>(
    '/api/v1/tasks/retry',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'retryTasks',
        summary:
          'Retry every failed task that matches a filter (status, type, queue, name, q, created time)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: {
              type: 'array',
              items: { type: 'string', enum: [...RETRYABLE_STATUSES] },
              minItems: 1,
              maxItems: RETRYABLE_STATUSES.length,
              description: 'default ["failed"]',
            },
            ...bulkFilterProperties(RETRY_MANY_DEFAULT_LIMIT),
            maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
        response: {
          200: { type: 'object', properties: { retried: idList, skipped: idList } },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { status, maxAttempts, ...filter } = request.body ?? {};
      return mill.retryMany({
        ...bulkFilterOf(filter),
        ...(status === undefined ? {} : { status }),
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
      });
    },
  );
}
