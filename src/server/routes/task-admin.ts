import type { FastifyInstance } from 'fastify';
import type { Priority } from '../../core/priority.ts';
import {
  OPERATOR_STATUSES,
  operatorTargets,
  STATUSES,
  type TaskStatus,
} from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import { operatorRefusal } from '../../mill/task-changes.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses, idParams, submitOptionsProperties } from '../schemas.ts';

interface UpdateBody {
  input?: unknown;
  priority?: Priority;
  runAt?: string;
  queue?: string;
  name?: string | null;
}

/** Update a waiting task; set its status as an operator (pause, resume, cancel); delete a
 * finished one. */
export function taskAdminRoutes(app: FastifyInstance, mill: Taskmill): void {
  app.patch<{ Params: { id: string }; Body: UpdateBody }>(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'updateTask',
        summary:
          "Change a waiting task's input, priority, run-at, queue or name (queued, paused, retrying, pending)",
        params: idParams,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            input: { description: "Checked against the task type's schema, as at submit" },
            priority: submitOptionsProperties.priority,
            runAt: submitOptionsProperties.runAt,
            queue: submitOptionsProperties.queue,
            name: {
              type: ['string', 'null'],
              minLength: 1,
              maxLength: submitOptionsProperties.name.maxLength,
              description: 'null clears it',
            },
          },
        },
        response: { 200: { $ref: 'Task#' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => {
      const { runAt, ...rest } = request.body;
      return mill.update(request.params.id, {
        ...rest,
        ...(runAt === undefined ? {} : { runAt: new Date(runAt) }),
      });
    },
  );

  app.put<{ Params: { id: string }; Body: { status: TaskStatus; reason?: string } }>(
    '/api/v1/tasks/:id/status',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'setTaskStatus',
        summary: `An operator's status change, recorded in the history with the reason: ${OPERATOR_STATUSES.join(', ')} (pause, resume, cancel)`,
        params: idParams,
        body: {
          type: 'object',
          required: ['status'],
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...STATUSES] },
            reason: { type: 'string', maxLength: 1000 },
          },
        },
        response: { 200: { $ref: 'Task#' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request): Promise<Task> => {
      const { id } = request.params;
      const { status: to, reason } = request.body;
      const current = await mill.get(id);
      // Refused here with what the task's status allows; the store checks again as it writes.
      if (!(operatorTargets(current.status) as TaskStatus[]).includes(to)) {
        throw operatorRefusal(id, current.status, to);
      }
      if (to === 'paused') return mill.pause(id, { reason });
      if (to === 'queued') return mill.resume(id, { reason });
      return mill.cancel(id, reason?.trim() || undefined);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'deleteTask',
        summary: 'Delete a finished task with its history, executions, logs and artifacts',
        params: idParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await mill.delete(request.params.id);
      reply.status(204);
    },
  );
}
