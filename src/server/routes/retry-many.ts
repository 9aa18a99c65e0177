import type { FastifyInstance } from 'fastify';
import { RETRYABLE_STATUSES, type TaskStatus } from '../../core/status.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses } from '../schemas.ts';

const MAX = 10_000;

interface RetryManyBody {
  status?: (typeof RETRYABLE_STATUSES)[number][];
  type?: string[];
  queue?: string[];
  maxAttempts?: number;
  limit?: number;
}

/**
 * `POST /api/v1/tasks/retry`: run again every failed (or timed-out, or cancelled) task that
 * matches a filter. Each task is retried on its own: a task that changed meanwhile (retried by
 * someone else) is skipped, not an error.
 */
export function retryManyRoute(app: FastifyInstance, mill: Taskmill): void {
  app.post<{ Body: RetryManyBody }>(
    '/api/v1/tasks/retry',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'retryTasks',
        summary: 'Retry every failed task that matches a filter (status, type, queue)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: {
              type: 'array',
              items: { type: 'string', enum: [...RETRYABLE_STATUSES] },
              minItems: 1,
              maxItems: 3,
              description: 'default ["failed"]',
            },
            type: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 100 },
            queue: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 100 },
            maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 },
            limit: { type: 'integer', minimum: 1, maximum: MAX, description: `default ${MAX}` },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              retried: { type: 'array', items: { type: 'string' } },
              skipped: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { status = ['failed'], type, queue, maxAttempts, limit = MAX } = request.body;
      // Collected first, then retried: a retried task leaves the filter, which would shift the
      // pages under a cursor.
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await mill.list({
          status: status as TaskStatus[],
          type,
          queue,
          sort: 'createdAt',
          order: 'asc',
          limit: Math.min(1000, limit - ids.length),
          cursor,
        });
        ids.push(...page.tasks.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor && ids.length < limit);
      const retried: string[] = [];
      const skipped: string[] = [];
      for (const id of ids) {
        try {
          await mill.retry(id, { maxAttempts });
          retried.push(id);
        } catch (error) {
          if ((error as { code?: string }).code !== 'TASK_ILLEGAL_TRANSITION') throw error;
          skipped.push(id);
        }
      }
      return { retried, skipped };
    },
  );
}
