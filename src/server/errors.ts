/**
 * Every error the API answers with has the body `{ error: { code, message, details } }`: a
 * TaskmillError keeps its code and status; Fastify's own (bad JSON, body too large, wrong
 * content type, schema validation) get codes of the registry; anything else is a 500 that
 * carries the request id, is logged with its stack, and never shows the stack. The database's
 * errors keep their code but not their words: hosts, ports, SQL and driver text go to the log
 * under the request id, and an outage answers 503 with Retry-After.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../core/error-codes.ts';
import { TaskmillError } from '../core/errors.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId?: string };
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_MALFORMED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_MALFORMED',
  // The router's own refusals (app.ts passes them here as frameworkErrors): a path that is not
  // valid percent-encoding, or a path parameter over the router's length limit.
  FST_ERR_BAD_URL: 'REQUEST_INVALID',
  FST_ERR_MAX_PARAM_LENGTH: 'REQUEST_INVALID',
};

/** Ajv's instance path `/input/items/3` as the field path `input.items.3`. */
function fieldPath(context: string | undefined, instancePath: string, missing?: unknown): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') parts.push(missing);
  const where = context === 'body' ? '' : `${context ?? ''}.`;
  return `${where}${parts.join('.')}` || (context ?? '(root)');
}

/** An enum's values as a person reads them: `pending, queued, …`. */
function allowedValues(values: unknown): string {
  return Array.isArray(values)
    ? values.map((v) => String(v)).join(', ')
    : '(see the OpenAPI document)';
}

function validationBody(error: FastifyError): ErrorBody {
  const issues = (error.validation ?? []).map((v) => ({
    path: fieldPath(error.validationContext, v.instancePath, v.params?.['missingProperty']),
    message:
      v.keyword === 'additionalProperties'
        ? `unknown field "${String(v.params?.['additionalProperty'])}"`
        : v.keyword === 'enum'
          ? `must be one of: ${allowedValues(v.params?.['allowedValues'])}`
          : (v.message ?? 'is invalid'),
  }));
  const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
  return {
    error: {
      code: 'REQUEST_INVALID',
      message: `The request's ${error.validationContext ?? 'data'} is invalid: ${list}.`,
      details: { issues },
    },
  };
}

function fastifyBody(code: ErrorCode, error: FastifyError): ErrorBody {
  const message =
    code === 'REQUEST_MALFORMED'
      ? `The body is not valid JSON: ${error.message}. Send one JSON document.`
      : code === 'REQUEST_TOO_LARGE'
        ? `${error.message}. Send less, or split a batch into several requests.`
        : code === 'UNSUPPORTED_MEDIA_TYPE'
          ? `${error.message}. Send the body as application/json.`
          : error.message;
  return { error: { code, message } };
}

/** Where the server writes what it keeps from clients; stderr unless the caller says. */
export type ErrorLog = (text: string) => void;

type ErrorHandler = (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => void;

/** Codes whose message speaks of the infrastructure (a host, a port, SQL, the driver's words). */
const INFRASTRUCTURE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'STORE_UNAVAILABLE',
  'STORE_BUSY',
  'STORE_QUERY_FAILED',
  'DATABASE_OPEN_FAILED',
  'DATABASE_READ_ONLY',
  'STORE_NOT_TASKMILL',
  'SCHEMA_TOO_NEW',
  'MIGRATION_CHECKSUM_MISMATCH',
]);

/** Seconds a client is told to wait after a 503 of the database: long enough for a restart or
 * a failover to be noticed, short enough that a queue does not stall for long. */
export const RETRY_AFTER_SECONDS = 5;

function stackOf(error: unknown): string {
  const parts: string[] = [];
  // The chain of causes is where the driver's own error (and its host and port) is.
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    parts.push(depth === 0 ? text : `caused by: ${text}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}

function logFailure(log: ErrorLog, request: FastifyRequest, status: number, error: unknown): void {
  const route = request.routeOptions?.url ?? request.url.split('?')[0];
  const code = (error as { code?: unknown }).code;
  const head = `${new Date().toISOString()} ${status}${typeof code === 'string' ? ` ${code}` : ''} request ${request.id}: ${request.method} ${route}`;
  log(`${head}\n${stackOf(error).replace(/^/gm, '  ')}\n`);
  // With the Fastify logger on, its own log has it too, beside the request's other lines.
  request.log.error({ err: error, requestId: request.id }, 'request failed');
}

function sendInfrastructure(
  error: TaskmillError,
  request: FastifyRequest,
  reply: FastifyReply,
  log: ErrorLog,
): void {
  logFailure(log, request, error.httpStatus, error);
  const id = String(request.id);
  if (error.httpStatus === 503) {
    reply
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .status(503)
      .send({
        error: {
          code: error.code,
          message: `The database is unavailable to the server right now; retry in ${RETRY_AFTER_SECONDS} s. The server's log has the cause under request id ${id}.`,
          details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
          requestId: id,
        },
      });
    return;
  }
  reply.status(error.httpStatus).send({
    error: {
      code: error.code,
      message: `The database failed the request; quote request id ${id} to find the cause in the server's log.`,
      requestId: id,
    },
  });
}

/** The app's error handler, which writes unexpected failures to `log` with their request id. */
export function errorHandler(log: ErrorLog): ErrorHandler {
  return (error, request, reply) => sendError(error, request, reply, log);
}

function sendError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
  log: ErrorLog,
): void {
  if (error instanceof TaskmillError) {
    if (INFRASTRUCTURE.has(error.code)) sendInfrastructure(error, request, reply, log);
    else reply.status(error.httpStatus).send({ error: error.toJSON() });
    return;
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    reply.status(400).send(validationBody(fe));
    return;
  }
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) {
    reply.status(ERROR_CODES[mapped].httpStatus).send(fastifyBody(mapped, fe));
    return;
  }
  // Proto poisoning and other client errors Fastify raises with a 4xx status.
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    reply.status(fe.statusCode).send({ error: { code: 'REQUEST_INVALID', message: fe.message } });
    return;
  }
  logFailure(log, request, 500, error);
  reply.status(500).send({
    error: {
      code: 'INTERNAL_ERROR',
      message: `The server failed unexpectedly; quote request id ${request.id} to find it in the server's log.`,
      requestId: String(request.id),
    },
  });
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply): void {
  reply.status(404).send({
    error: {
      code: 'ROUTE_NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}: see /api/openapi.json for the routes.`,
    },
  });
}

/** A socket's own error, before any route: a request too slow, headers too large, bad HTTP. */
export function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [
          'REQUEST_TIMEOUT',
          "The request's headers or body did not arrive in time; send the whole request at once.",
        ]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? ['REQUEST_HEADERS_TOO_LARGE', "The request's headers are too large; send fewer."]
        : ['REQUEST_MALFORMED', `The request is not valid HTTP (${error.code ?? 'unknown'}).`];
  const status = ERROR_CODES[code].httpStatus;
  const body = JSON.stringify({ error: { code, message } });
  // Node's own handler answers only while no answer has begun (an early refusal of a request
  // whose body still trickles in): a second status line would corrupt the first answer.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && answering?.headersSent !== true) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
