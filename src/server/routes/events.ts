import type { FastifyInstance } from 'fastify';
import { TaskmillError } from '../../core/errors.ts';
import { RETRY_AFTER_SECONDS } from '../errors.ts';
import { type EventHub, STREAMED_EVENTS } from '../event-stream.ts';
import { errorResponses, uuid } from '../schemas.ts';

/** `GET /api/v1/events`: Server-Sent Events, filtered by task, type or kind, resumable. */
export function eventRoutes(app: FastifyInstance, hub: EventHub): void {
  app.get<{ Querystring: { taskId?: string; type?: string; kind?: string[] } }>(
    '/api/v1/events',
    {
      // HEAD would hang: the stream's headers go out with its first write, which a HEAD answer
      // never makes, so the client waits and the hub keeps it forever. GET only.
      exposeHeadRoute: false,
      schema: {
        tags: ['events'],
        operationId: 'events',
        summary:
          'Live events as text/event-stream; filter with taskId, type and kind; resume with the Last-Event-ID header',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            taskId: uuid,
            type: { type: 'string', maxLength: 128 },
            kind: { type: 'array', items: { type: 'string', enum: [...STREAMED_EVENTS] } },
          },
        },
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'string', pattern: '^[0-9]{1,15}$' } },
        },
        response: {
          200: {
            description: 'text/event-stream: `id`, `event` (the kind) and `data` (JSON) per event',
            type: 'string',
          },
          ...errorResponses(400, 503),
        },
      },
    },
    (request, reply) => {
      if (hub.full) {
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        throw new TaskmillError(
          'EVENT_STREAM_FULL',
          `The server follows as many event-stream clients as it allows (${hub.size}); retry in ${RETRY_AFTER_SECONDS} s, or poll GET /api/v1/tasks/{id}.`,
          { details: { retryAfterSeconds: RETRY_AFTER_SECONDS } },
        );
      }
      const { taskId, type, kind } = request.query;
      const last = request.headers['last-event-id'];
      reply.hijack();
      hub.attach(
        reply.raw,
        { taskId, type, kinds: kind ? new Set(kind) : undefined },
        typeof last === 'string' ? Number(last) : null,
      );
    },
  );
}
