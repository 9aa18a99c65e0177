/**
 * The HTTP API as a Fastify instance: the routes under /api/v1, the OpenAPI document built from
 * their schemas at /api/openapi.json (browsable at /docs), health, and one error format.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { uuidv7 } from '../core/ids.ts';
import { VERSION } from '../core/version.ts';
import type { Taskmill } from '../mill/types.ts';
import { sendError, sendNotFound } from './errors.ts';
import { jsonBodies } from './json-body.ts';
import { healthRoutes, type Readiness } from './routes/health.ts';
import { taskTypeRoutes } from './routes/task-types.ts';
import { taskRoutes } from './routes/tasks.ts';
import { errorBody, taskSchema } from './schemas.ts';

export interface AppOptions {
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Log requests (pino, to stdout). Default off. */
  logger?: boolean;
  readiness?: Readiness;
}

export async function buildApp(mill: Taskmill, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    logger: options.logger ?? false,
    genReqId: () => uuidv7(),
    ajv: {
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        useDefaults: false,
        coerceTypes: 'array',
      },
    },
  });
  app.addSchema(errorBody);
  app.addSchema(taskSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'taskmill',
        version: VERSION,
        description:
          'Submit, follow and manage tasks. Errors: { error: { code, message, details } }.',
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json['$id'] ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  jsonBodies(app);
  app.setErrorHandler(sendError);
  app.setNotFoundHandler(sendNotFound);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  taskRoutes(app, mill);
  taskTypeRoutes(app, mill);
  healthRoutes(app, mill, options.readiness ?? { worker: null, staleAfterMs: 10_000 });
  return app;
}
