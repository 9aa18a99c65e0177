import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { SortField } from '../../core/task-filter.ts';
import type { Taskmill } from '../../mill/types.ts';
import {
  artifactSchema,
  errorResponses,
  historySchema,
  idParams,
  listQuery,
  logSchema,
} from '../schemas.ts';
import {
  type GenericSubmitBody,
  genericSubmitBody,
  genericSubmitItem,
  type SubmitBodyOptions,
  submitOptionsOf,
  typedSubmitBody,
} from '../submit-body.ts';
import { submitBodies, submitOne } from './submit-one.ts';

const task = { $ref: 'Task#' };
const BATCH_MAX = 1000;

/**
 * A cursor is opaque, but one whose sort value is not a whole number or whose id holds a NUL was
 * not made by a page: PostgreSQL fails on either (a bigint, a text parameter) with a 500. The
 * store judges everything else (whether it decodes, its sort and order).
 */
function refuseForgedCursor(cursor: string | undefined): void {
  if (!cursor) return;
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return;
  }
  const { v, i } = (c ?? {}) as { v?: unknown; i?: unknown };
  if (
    (typeof v === 'number' && !Number.isSafeInteger(v)) ||
    (typeof i === 'string' && i.includes('\u0000'))
  ) {
    throw new ValidationError(
      'CURSOR_INVALID',
      'The cursor was not made by this server; pass the nextCursor of the previous page unchanged.',
      [{ path: 'querystring.cursor', message: 'not a cursor this server made' }],
    );
  }
}

/** Submit, list, read, cancel and retry tasks. */
export function taskRoutes(app: FastifyInstance, mill: Taskmill): void {
  app.post<{ Body: GenericSubmitBody }>(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'submitTask',
        summary:
          "Submit a task of any type (its input is checked against the type's schema); taskType and config are accepted for type and input",
        body: genericSubmitBody,
        response: { 200: task, 201: task, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { task: submitted, created } = await submitOne(mill, genericSubmitItem(request.body));
      reply.status(created ? 201 : 200);
      return submitted;
    },
  );

  app.post<{ Body: { tasks: GenericSubmitBody[] } }>(
    '/api/v1/tasks/batch',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'submitTasks',
        summary: `Submit up to ${BATCH_MAX} tasks in one transaction: all or none`,
        body: {
          type: 'object',
          required: ['tasks'],
          additionalProperties: false,
          properties: {
            tasks: { type: 'array', minItems: 1, maxItems: BATCH_MAX, items: genericSubmitBody },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              tasks: { type: 'array', items: task },
              created: { type: 'array', items: { type: 'boolean' } },
            },
          },
          ...errorResponses(400, 409),
        },
      },
    },
    async (request, reply) => {
      const items = request.body.tasks.map((t, i) => genericSubmitItem(t, `tasks.${i}.`));
      const submitted = await submitBodies(mill, items, true);
      reply.status(201);
      return submitted;
    },
  );

  for (const def of mill.definitions.values()) {
    app.post<{ Body: SubmitBodyOptions & { input: unknown } }>(
      `/api/v1/types/${def.name}/tasks`,
      {
        schema: {
          tags: ['task types'],
          operationId: `submit_${def.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
          summary: `Submit a "${def.name}" task${def.description ? `: ${def.description}` : ''}`,
          body: typedSubmitBody(def),
          response: { 200: task, 201: task, ...errorResponses(400, 409) },
        },
      },
      async (request, reply) => {
        const { input, ...options } = request.body;
        const { task: submitted, created } = await submitOne(mill, {
          type: def.name,
          input,
          options: submitOptionsOf(options),
        });
        reply.status(created ? 201 : 200);
        return submitted;
      },
    );
  }

  app.get<{
    Querystring: {
      status?: TaskStatus[];
      type?: string[];
      queue?: string[];
      sort?: SortField;
      order?: 'asc' | 'desc';
      limit?: number;
      cursor?: string;
      page?: number;
      total?: boolean;
      q?: string;
      name?: string;
      worker?: string;
      run?: string;
      step?: string;
      createdFrom?: string;
      createdTo?: string;
    };
  }>(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'listTasks',
        summary:
          'List tasks, newest first by default, a page at a time (cursor, or page numbers with total)',
        querystring: listQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              tasks: { type: 'array', items: task },
              nextCursor: { type: ['string', 'null'] },
              total: {
                type: 'integer',
                description: 'Tasks matching the filter: with page, or when total=true',
              },
              page: { type: 'integer', description: 'The page number, with page' },
              limit: { type: 'integer', description: 'Tasks per page, with page' },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { q, worker, run, createdFrom, createdTo, ...rest } = request.query;
      refuseForgedCursor(rest.cursor);
      const page = await mill.list({
        ...rest,
        search: q,
        workerId: worker,
        runId: run,
        createdFrom: createdFrom === undefined ? undefined : new Date(createdFrom),
        createdTo: createdTo === undefined ? undefined : new Date(createdTo),
      });
      if (rest.page === undefined) return page;
      return { ...page, page: rest.page, limit: rest.limit ?? 50 };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'getTask',
        params: idParams,
        response: { 200: task, ...errorResponses(400, 404) },
      },
    },
    async (request) => mill.get(request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/tasks/:id/history',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'getTaskHistory',
        summary: 'Every status change of the task: from, to, when, why, which worker',
        params: idParams,
        response: { 200: { type: 'array', items: historySchema }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      await mill.get(request.params.id);
      return mill.history(request.params.id);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { after?: number; limit?: number } }>(
    '/api/v1/tasks/:id/logs',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'getTaskLogs',
        summary: 'Log lines of the task, oldest first; ?after=<last id seen> to tail',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            // Bounded: the id goes to a bigint parameter, which 1e308 (an integer to JSON) is not.
            after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
        response: { 200: { type: 'array', items: logSchema }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      await mill.get(request.params.id);
      return mill.logs(request.params.id, {
        afterId: request.query.after,
        limit: request.query.limit,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/tasks/:id/artifacts',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'listTaskArtifacts',
        params: idParams,
        response: { 200: { type: 'array', items: artifactSchema }, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      await mill.get(request.params.id);
      return mill.artifacts(request.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/api/v1/tasks/:id/cancel',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'cancelTask',
        summary: 'Cancel a task that has not finished (a running one is aborted)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 1000 } },
        },
        response: { 200: task, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => mill.cancel(request.params.id, request.body?.reason),
  );

  app.post<{ Params: { id: string }; Body: { maxAttempts?: number } | undefined }>(
    '/api/v1/tasks/:id/retry',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'retryTask',
        summary: 'Run a failed, timed-out or cancelled task again',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
        response: { 200: task, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => mill.retry(request.params.id, { maxAttempts: request.body?.maxAttempts }),
  );
}
