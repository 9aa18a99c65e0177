import type { FastifyInstance } from 'fastify';
import { taskJsonSchemas } from '../../core/define-task.ts';
import { priorityName } from '../../core/priority.ts';
import type { Taskmill } from '../../mill/types.ts';

/** What a client needs to build a submit form: each type with its JSON Schemas and defaults. */
export function taskTypeRoutes(app: FastifyInstance, mill: Taskmill): void {
  app.get(
    '/api/v1/task-types',
    {
      schema: {
        tags: ['task types'],
        operationId: 'listTaskTypes',
        summary: 'The task types this server knows, with the JSON Schemas of input and output',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                description: { type: ['string', 'null'] },
                queue: { type: 'string' },
                priority: { type: 'string' },
                executor: { type: 'string', enum: ['inline', 'thread', 'process'] },
                maxAttempts: { type: 'integer' },
                timeout: {
                  type: 'object',
                  properties: { softMs: { type: 'integer' }, hardMs: { type: 'integer' } },
                },
                submitPath: { type: 'string' },
                inputSchema: { type: 'object', additionalProperties: true },
                outputSchema: { type: ['object', 'null'], additionalProperties: true },
              },
            },
          },
        },
      },
    },
    async () =>
      [...mill.definitions.values()].map((def) => {
        const schemas = taskJsonSchemas(def);
        return {
          name: def.name,
          description: def.description ?? null,
          queue: def.queue,
          priority: priorityName(def.priority),
          executor: def.executor,
          maxAttempts: def.retry.maxAttempts ?? 3,
          timeout: def.timeout,
          submitPath: `/api/v1/types/${def.name}/tasks`,
          inputSchema: schemas.input,
          outputSchema: schemas.output,
        };
      }),
  );
}
