import type { FastifyInstance } from 'fastify';
import {
  CANCEL_MANY_DEFAULT_LIMIT,
  CANCELLABLE_STATUSES,
  type CancellableStatus,
  WAITING_STATUSES,
} from '../../core/bulk-filter.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses } from '../schemas.ts';
import { type BulkBody, bulkFilterOf, bulkFilterProperties, idList } from './bulk-body.ts';

interface CancelManyBody extends BulkBody {
  status?: CancellableStatus[];
  reason?: string;
}

/**
 * `POST /api/v1/tasks/cancel`: cancel every task that matches a filter (`mill.cancelMany`), each
 * through the one-task cancel: a history row with the reason, a running task asked to stop. A
 * task that ended or started meanwhile is skipped, not an error. As retry by filter, an empty
 * filter is allowed: it cancels every waiting task, up to `limit`.
 */
export function cancelManyRoute(app: FastifyInstance, mill: Taskmill): void {
  app.post<{ Body: CancelManyBody }>(
    '/api/v1/tasks/cancel',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'cancelTasks',
        summary:
          'Cancel every waiting (or, when asked, running) task that matches a filter (status, type, queue, name, q, created time)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: {
              type: 'array',
              items: { type: 'string', enum: [...CANCELLABLE_STATUSES] },
              minItems: 1,
              maxItems: CANCELLABLE_STATUSES.length,
              description: `default ${JSON.stringify(WAITING_STATUSES)}: running tasks only when named`,
            },
            ...bulkFilterProperties(CANCEL_MANY_DEFAULT_LIMIT),
            reason: {
              type: 'string',
              maxLength: 1000,
              description: "Recorded in each task's history",
            },
          },
        },
        response: {
          200: { type: 'object', properties: { cancelled: idList, skipped: idList } },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { status, reason, ...filter } = request.body ?? {};
      return mill.cancelMany({
        ...bulkFilterOf(filter),
        ...(status === undefined ? {} : { status }),
        ...(reason === undefined ? {} : { reason }),
      });
    },
  );
}
