import type { FastifyInstance } from 'fastify';
import { EXECUTION_OUTCOMES } from '../../core/task.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses, idParams } from '../schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;

/** One attempt as the API sends it: the task id is the caller's, so it is left out. */
const attemptSchema = {
  type: 'object',
  required: ['id', 'attempt', 'workerId', 'startedAt', 'finishedAt', 'outcome', 'error', 'metrics'],
  properties: {
    id: { type: 'string', description: "The execution's id" },
    attempt: { type: 'integer', description: 'From 1; a retry by request starts a new series' },
    workerId: { type: 'string' },
    startedAt: dateTime,
    finishedAt: { type: ['string', 'null'], format: 'date-time', description: 'null: running' },
    outcome: {
      type: ['string', 'null'],
      enum: [...EXECUTION_OUTCOMES, null],
      description: 'How the attempt ended; null while it runs',
    },
    error: {
      type: ['object', 'null'],
      required: ['code', 'message', 'retryable'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        stack: { type: ['string', 'null'], description: "The handler's stack, where it threw" },
        retryable: { type: 'boolean' },
      },
      description: 'What the attempt failed with, or null',
    },
    metrics: {
      type: ['object', 'null'],
      additionalProperties: { type: 'number' },
      description:
        "durationMs, peakRssBytes and the handler's own (ctx.metric); null while it runs",
    },
  },
} as const;

/** `GET /api/v1/tasks/:id/attempts`: every attempt of a task, oldest first, with its error and
 * stack: what a task's page shows under "attempts". */
export function taskAttemptsRoute(app: FastifyInstance, mill: Taskmill): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/tasks/:id/attempts',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'getTaskAttempts',
        summary:
          'Every attempt of the task, oldest first: worker, times, outcome, error with its stack, metrics',
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['attempts'],
            properties: { attempts: { type: 'array', items: attemptSchema } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const executions = await mill.executions(request.params.id);
      return {
        attempts: executions.map(({ taskId: _taskId, error, ...rest }) => ({
          ...rest,
          error: error === null ? null : { ...error, stack: error.stack ?? null },
        })),
      };
    },
  );
}
