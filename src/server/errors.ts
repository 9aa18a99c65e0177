/**
 * Every error the API answers with has the body `{ error: { code, message, details } }`: a
 * TaskmillError keeps its code and status; Fastify's own (bad JSON, body too large, wrong
 * content type, schema validation) get codes of the registry; anything else is a 500 that
 * carries the request id, is logged with its stack, and never shows the stack.
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

function validationBody(error: FastifyError): ErrorBody {
  const issues = (error.validation ?? []).map((v) => ({
    path: fieldPath(error.validationContext, v.instancePath, v.params?.['missingProperty']),
    message:
      v.keyword === 'additionalProperties'
        ? `unknown field "${String(v.params?.['additionalProperty'])}"`
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

export function sendError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error instanceof TaskmillError) {
    reply.status(error.httpStatus).send({ error: error.toJSON() });
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
  request.log.error({ err: error }, 'unexpected error');
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
