import type { FastifyInstance } from 'fastify';
import type { ScheduleDefinition, ScheduleOperations } from '../../core/schedule.ts';
import {
  applyResultSchema,
  changesBody,
  dayReportSchema,
  definitionBody,
  scheduleNameParams,
} from '../schedule-schemas.ts';
import { errorResponses } from '../schemas.ts';

const schedule = { $ref: 'Schedule#' };
const run = { $ref: 'ScheduleRun#' };
const tags = ['schedules'];
const APPLY_MAX = 1000;

type Named = { Params: { name: string } };
type Changes = Partial<Omit<ScheduleDefinition, 'name'>>;

/**
 * Schedules over HTTP: the operations of `mill.schedules` (ScheduleOperations), one route each,
 * with the same names and meaning. Reads need the `read` scope, changes `admin` (auth.ts).
 */
export function scheduleRoutes(app: FastifyInstance, schedules: ScheduleOperations): void {
  app.get(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        operationId: 'listSchedules',
        summary: 'Every schedule with its last and next run and its stats',
        response: { 200: { type: 'array', items: schedule } },
      },
    },
    async () => schedules.list(),
  );

  app.post<{ Body: ScheduleDefinition }>(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        operationId: 'createSchedule',
        summary: 'Create a schedule (409 SCHEDULE_EXISTS when the name is taken)',
        body: definitionBody,
        response: { 201: schedule, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const created = await schedules.add(request.body);
      reply.status(201);
      return created;
    },
  );

  app.put<{ Body: { schedules: ScheduleDefinition[] } }>(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        operationId: 'applySchedules',
        summary:
          'Make the stored schedules match this set: create, update, and disable those it lacks (never delete); all or none',
        body: {
          type: 'object',
          required: ['schedules'],
          additionalProperties: false,
          properties: {
            schedules: { type: 'array', maxItems: APPLY_MAX, items: definitionBody },
          },
        },
        response: { 200: applyResultSchema, ...errorResponses(400) },
      },
    },
    async (request) => schedules.apply(request.body.schedules),
  );

  app.get<{ Querystring: { days?: number } }>(
    '/api/v1/schedules/report',
    {
      schema: {
        tags,
        operationId: 'scheduleReport',
        summary: "Each schedule's runs per UTC day, the last `days` days (default 1: today)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { days: { type: 'integer', minimum: 1, maximum: 366 } },
        },
        response: { 200: { type: 'array', items: dayReportSchema }, ...errorResponses(400) },
      },
    },
    async (request) => schedules.report({ days: request.query.days }),
  );

  app.get<Named>(
    '/api/v1/schedules/:name',
    {
      schema: {
        tags,
        operationId: 'getSchedule',
        params: scheduleNameParams,
        response: { 200: schedule, ...errorResponses(400, 404) },
      },
    },
    async (request) => schedules.get(request.params.name),
  );

  app.patch<Named & { Body: Changes }>(
    '/api/v1/schedules/:name',
    {
      schema: {
        tags,
        operationId: 'updateSchedule',
        summary: 'Change the fields given; the others stay',
        params: scheduleNameParams,
        body: changesBody,
        response: { 200: schedule, ...errorResponses(400, 404) },
      },
    },
    async (request) => schedules.update(request.params.name, request.body),
  );

  app.delete<Named>(
    '/api/v1/schedules/:name',
    {
      schema: {
        tags,
        operationId: 'deleteSchedule',
        summary: 'Delete the schedule and its tick records; the tasks it made stay',
        params: scheduleNameParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await schedules.remove(request.params.name);
      reply.status(204);
    },
  );

  for (const [action, operationId, summary] of [
    ['enable', 'enableSchedule', 'Enable: ticks from now on fire (those while disabled do not)'],
    ['disable', 'disableSchedule', 'Disable: no tick fires until it is enabled again'],
  ] as const) {
    app.post<Named>(
      `/api/v1/schedules/:name/${action}`,
      {
        schema: {
          tags,
          operationId,
          summary,
          params: scheduleNameParams,
          response: { 200: schedule, ...errorResponses(400, 404) },
        },
      },
      async (request) => schedules[action](request.params.name),
    );
  }

  app.post<Named>(
    '/api/v1/schedules/:name/run',
    {
      schema: {
        tags,
        operationId: 'runSchedule',
        summary: 'Run now: submit its task at once, whatever the overlap policy (a manual run)',
        params: scheduleNameParams,
        response: { 201: run, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const made = await schedules.runNow(request.params.name);
      reply.status(201);
      return made;
    },
  );

  app.get<Named & { Querystring: { count?: number; from?: string } }>(
    '/api/v1/schedules/:name/next',
    {
      schema: {
        tags,
        operationId: 'nextScheduleTimes',
        summary: 'The next fire times after now (or after `from`)',
        params: scheduleNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            count: { type: 'integer', minimum: 1, maximum: 1000, description: 'How many' },
            from: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          200: { type: 'array', items: { type: 'string', format: 'date-time' } },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { count, from } = request.query;
      return schedules.next(
        request.params.name,
        count,
        from === undefined ? undefined : new Date(from),
      );
    },
  );

  app.get<Named & { Querystring: { limit?: number } }>(
    '/api/v1/schedules/:name/runs',
    {
      schema: {
        tags,
        operationId: 'listScheduleRuns',
        summary: 'Recent ticks, newest first, with what came of each (task, status, skipped)',
        params: scheduleNameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
        response: { 200: { type: 'array', items: run }, ...errorResponses(400, 404) },
      },
    },
    async (request) => schedules.runs(request.params.name, { limit: request.query.limit }),
  );
}
