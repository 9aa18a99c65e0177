import type { FastifyInstance } from 'fastify';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { forbiddenContent } from '../core/forbidden-content.ts';

/**
 * JSON bodies only (anything else is 415), parsed by taskmill so that a syntax error says where
 * it is and a forbidden key or character (NUL, a lone surrogate), or too deep a nesting, names
 * its field. A POST without a body (or with an empty one) reads as `{}`. The query and path are held to the same rules on NUL and keys.
 */
export function jsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/*+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      // Every change is sent as JSON, a body-less one too (browser-guard.ts): empty is no body.
      if (body === '') {
        done(null, undefined);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body as string);
      } catch (error) {
        done(
          new TaskmillError(
            'REQUEST_MALFORMED',
            `The body is not valid JSON (${error instanceof Error ? error.message : String(error)}). Send one JSON document.`,
          ),
          undefined,
        );
        return;
      }
      const bad = forbiddenContent(parsed);
      if (bad) {
        done(
          new ValidationError(
            'REQUEST_INVALID',
            `The body is refused at ${bad.path}: ${bad.message}. Remove it and send again.`,
            [bad],
          ),
          undefined,
        );
        return;
      }
      done(null, parsed);
    },
  );
  // A NUL from the query would reach PostgreSQL as an internal error; refuse it as in a body.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const bad = forbiddenContent(value);
      if (bad) {
        const path = `${part}.${bad.path}`;
        throw new ValidationError(
          'REQUEST_INVALID',
          `The request is refused at ${path}: ${bad.message}. Remove it and send again.`,
          [{ path, message: bad.message }],
        );
      }
    }
  });
  // Ajv's coercion turns "Infinity" into a number that passes `integer`, `minimum` and `maximum`
  // alike; no store can take one, so it is refused once the query is coerced.
  app.addHook('preHandler', async (request) => {
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if ([value].flat().some((v) => typeof v === 'number' && !Number.isFinite(v))) {
        const path = `querystring.${key}`;
        throw new ValidationError(
          'REQUEST_INVALID',
          `The request's querystring is invalid: ${path}: must be a finite number.`,
          [{ path, message: 'must be a finite number' }],
        );
      }
    }
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && (request.method === 'POST' || request.method === 'PATCH')) {
      request.body = {};
    }
  });
}
