import type { FastifyInstance } from 'fastify';
import type { Priority } from '../../core/priority.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses, idParams, submitOptionsProperties } from '../schemas.ts';

/** Change the priority of a waiting task; delete a finished one. */
export function taskAdminRoutes(app: FastifyInstance, mill: Taskmill): void {
  app.patch<{ Params: { id: string }; Body: { priority: Priority } }>(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'setTaskPriority',
        summary: 'Change the priority of a task that waits (queued, retrying, pending, paused)',
        params: idParams,
        body: {
          type: 'object',
          required: ['priority'],
          additionalProperties: false,
          properties: { priority: submitOptionsProperties.priority },
        },
        response: { 200: { $ref: 'Task#' }, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => mill.setPriority(request.params.id, request.body.priority),
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
