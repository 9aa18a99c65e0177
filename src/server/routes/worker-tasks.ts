import type { FastifyInstance } from 'fastify';
import { TaskmillError } from '../../core/errors.ts';
import type { Task } from '../../core/task.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses } from '../schemas.ts';
import { workerParams } from './remote-worker-schemas.ts';

/** `GET /api/v1/workers/:workerId/tasks`: the tasks a worker runs now, whole (not only their
 * ids, as the worker list gives them), for a worker's page. */
export function workerTasksRoute(app: FastifyInstance, mill: Taskmill): void {
  app.get<{ Params: { workerId: string } }>(
    '/api/v1/workers/:workerId/tasks',
    {
      schema: {
        tags: ['workers'],
        operationId: 'getWorkerTasks',
        summary: 'The tasks this worker runs now (running, its lease), oldest first',
        params: workerParams,
        response: {
          200: {
            type: 'object',
            required: ['tasks'],
            properties: { tasks: { type: 'array', items: { $ref: 'Task#' } } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { workerId } = request.params;
      const workers = await mill.workers();
      if (!workers.some((w) => w.id === workerId)) {
        // Not WorkerNotFoundError: its advice (register again) is for the worker itself.
        throw new TaskmillError(
          'WORKER_NOT_FOUND',
          `No worker with id "${workerId}" is registered (never, or it deregistered or was removed); GET /api/v1/workers lists them.`,
          { details: { workerId } },
        );
      }
      const tasks: Task[] = [];
      let cursor: string | null = null;
      // A worker holds at most its concurrency: one page, unless that is over a thousand.
      do {
        const page = await mill.list({
          status: 'running',
          workerId,
          sort: 'createdAt',
          order: 'asc',
          limit: 1000,
          cursor,
        });
        tasks.push(...page.tasks);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return { tasks };
    },
  );
}
