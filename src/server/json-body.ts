import type { FastifyInstance } from 'fastify';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { forbiddenContent } from '../core/forbidden-content.ts';

/** Deeper is refused: no real body nests so far, and past their own limits (SQLite's JSON
 * functions stop at 1000 levels) the stores and recursive code fail with a 500, not a 400. */
export const MAX_BODY_DEPTH = 100;

/** An unpaired UTF-16 surrogate: JSON.parse makes one from `"\ud800"`, PostgreSQL's JSON
 * refuses it (a 500 from the store), and SQLite would keep a string that is not Unicode. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Beside forbiddenContent (NUL, poisoning keys): the first value nested deeper than
 * MAX_BODY_DEPTH, or a string or key holding a lone surrogate. Walks without recursion.
 */
function unstorable(value: unknown): { path: string; message: string } | null {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string' && LONE_SURROGATE.test(v)) {
      return { path: path || '(root)', message: 'contains a lone UTF-16 surrogate' };
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      return { path: path || '(root)', message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(v)) {
      const at = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return { path: at, message: 'the key has a lone surrogate' };
      stack.push([child, at, depth + 1]);
    }
  }
  return null;
}

/**
 * JSON bodies only (anything else is 415), parsed by taskmill so that a syntax error says where
 * it is and a forbidden key or character (NUL, a lone surrogate), or too deep a nesting, names
 * its field. A POST without a body reads as `{}`. The query and path are held to the same rules on NUL and keys.
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
      const bad = forbiddenContent(parsed) ?? unstorable(parsed);
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
