import type { FastifyInstance } from 'fastify';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { forbiddenContent } from '../core/forbidden-content.ts';

/**
 * JSON bodies only (anything else is 415), parsed by taskmill so that a syntax error says where
 * it is and a forbidden key or character names its field. A POST without a body reads as `{}`.
 */
export function jsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/*+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
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
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && (request.method === 'POST' || request.method === 'PATCH')) {
      request.body = {};
    }
  });
}
