import type { FastifyInstance } from 'fastify';
import { SCOPES, scopesOf } from '../auth.ts';
import { errorResponses } from '../schemas.ts';

/**
 * `GET /api/v1/access`: what the caller may do, so a dashboard shows only the controls its token
 * allows (the API refuses the others anyway). Any valid token reaches it; with tokens on the
 * server, none or a bad one is 401 as on every route, which tells a dashboard to ask for one.
 */
export function accessRoute(app: FastifyInstance, tokensRequired: boolean): void {
  app.get(
    '/api/v1/access',
    {
      schema: {
        tags: ['access'],
        operationId: 'access',
        summary:
          "What the caller's token may do: its scopes (admin counts for read and write), or every scope when the server has no tokens",
        response: {
          200: {
            type: 'object',
            required: ['tokensRequired', 'scopes'],
            properties: {
              tokensRequired: {
                type: 'boolean',
                description: 'Whether the server needs a token (false: every route is open)',
              },
              scopes: {
                type: 'array',
                items: { type: 'string', enum: [...SCOPES] },
                description: 'What the caller reaches: read, write, admin, worker',
              },
            },
          },
          ...errorResponses(401),
        },
      },
    },
    async (request) => ({ tokensRequired, scopes: scopesOf(request, tokensRequired) }),
  );
}
