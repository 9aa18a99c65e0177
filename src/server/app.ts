/**
 * The HTTP API as a Fastify instance: the routes under /api/v1, the OpenAPI document built from
 * their schemas at /api/openapi.json (browsable at /docs), health, and one error format.
 */
import swagger from '@fastify/swagger';
import swaggerUi, { type FastifySwaggerUiConfigOptions } from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { uuidv7 } from '../core/ids.ts';
import { VERSION } from '../core/version.ts';
import type { Taskmill } from '../mill/types.ts';
import type { RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import { type AccessToken, requireTokens } from './auth.ts';
import {
  hostAllowed,
  jsonTryItOut,
  refuseForeignPages,
  requireJsonChanges,
} from './browser-guard.ts';
import { dashboardRoutes } from './dashboard.ts';
import { type ErrorLog, errorHandler, sendClientError, sendNotFound } from './errors.ts';
import { EventHub, type EventStreamOptions } from './event-stream.ts';
import { jsonBodies } from './json-body.ts';
import { Metrics, metricsRoute } from './metrics.ts';
import { pipelineBatchSchema, pipelineRunSchema } from './pipeline-schemas.ts';
import { accessRoute } from './routes/access.ts';
import { artifactDownloadRoute } from './routes/artifact-download.ts';
import { cancelManyRoute } from './routes/cancel-many.ts';
import { eventRoutes } from './routes/events.ts';
import { fleetRoutes } from './routes/fleet.ts';
import { healthRoutes, type Readiness } from './routes/health.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { remoteWorkerRoutes } from './routes/remote-workers.ts';
import { retryManyRoute } from './routes/retry-many.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { taskAdminRoutes } from './routes/task-admin.ts';
import { taskAttemptsRoute } from './routes/task-attempts.ts';
import { taskTypeRoutes } from './routes/task-types.ts';
import { taskRoutes } from './routes/tasks.ts';
import { workerTasksRoute } from './routes/worker-tasks.ts';
import { scheduleRunSchema, scheduleSchema } from './schedule-schemas.ts';
import { errorBody, taskSchema } from './schemas.ts';
import { securityHeaders } from './security-headers.ts';

export interface AppOptions {
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Log requests (pino, to stdout). Default off. */
  logger?: boolean;
  /** Where unexpected failures go with their request id, logger or not. Default stderr. */
  errorLog?: ErrorLog;
  readiness?: Readiness;
  /** With none, every route is open (serve.ts then listens on loopback only). */
  tokens?: readonly AccessToken[];
  events?: EventStreamOptions;
  /** Lease and long-poll timing of the remote worker protocol. */
  remoteWorkers?: RemoteWorkersOptions;
  /** Which `Host` names to answer; default: loopback names (serve.ts passes its own). */
  hostAllowed?: (name: string) => boolean;
  /** Time for a request's headers to arrive. Default 20 s. */
  headersTimeoutMs?: number;
  /** Time for a whole request, headers and body, to arrive. Default 60 s. */
  requestTimeoutMs?: number;
  /** The built dashboard served at `/`. Default: this package's `dashboard/dist`. */
  dashboardDir?: string;
}

type TryItOutInterceptor = NonNullable<FastifySwaggerUiConfigOptions['requestInterceptor']>;

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

const ROUTES = new WeakMap<FastifyInstance, { method: string; url: string }[]>();
const HUBS = new WeakMap<FastifyInstance, EventHub>();

/** The clients connected to the app's event stream. */
export function eventClientsOf(app: FastifyInstance): number {
  return HUBS.get(app)?.size ?? 0;
}

/** Every route of an app built here, as registered: for the auth test to walk them all. */
export function routesOf(app: FastifyInstance): readonly { method: string; url: string }[] {
  return ROUTES.get(app) ?? [];
}

/** A late request is found within a quarter of the shorter bound (0: no bound), at most 1 s. */
function checkingInterval(headersMs: number, requestMs: number): number {
  const bounds = [headersMs, requestMs].filter((ms) => ms > 0);
  return Math.max(10, Math.min(1_000, ...bounds.map((ms) => Math.floor(ms / 4))));
}

export async function buildApp(mill: Taskmill, options: AppOptions = {}): Promise<FastifyInstance> {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const sendError = errorHandler(options.errorLog ?? ((text) => process.stderr.write(text)));
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    logger: options.logger ?? false,
    genReqId: () => uuidv7(),
    frameworkErrors: sendError,
    clientErrorHandler: sendClientError,
    // Both bound only the arrival of a request: once it is in, an answer may take as long as it
    // needs (an event stream, a claim's long poll). Node looks for late requests every
    // connectionsCheckingInterval, so that is kept well inside the bounds.
    requestTimeout,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: checkingInterval(headersTimeout, requestTimeout),
    },
    ajv: {
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        useDefaults: false,
        coerceTypes: 'array',
        // A priority is a name or a number 0..3 (seed 002's bodies): one `type: [string,
        // integer]` with one enum lists every allowed value in a refusal. OpenAPI 3.1 has them.
        allowUnionTypes: true,
      },
    },
  });
  const routes: { method: string; url: string }[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // Before the plugins, so that their routes (the docs) share the error format and the guard.
  app.setErrorHandler(sendError);
  app.setNotFoundHandler(sendNotFound);
  securityHeaders(app);
  refuseForeignPages(app, options.hostAllowed ?? hostAllowed('127.0.0.1', []));
  jsonBodies(app);
  requireTokens(app, options.tokens ?? []);
  requireJsonChanges(app);
  app.addSchema(errorBody);
  app.addSchema(taskSchema);
  app.addSchema(scheduleSchema);
  app.addSchema(scheduleRunSchema);
  app.addSchema(pipelineRunSchema);
  app.addSchema(pipelineBatchSchema);
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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Typed as a fetch Request by the plugin; Swagger UI hands it a plain object.
    uiConfig: { requestInterceptor: jsonTryItOut as unknown as TryItOutInterceptor },
  });
  app.get('/api/openapi.json', { schema: { hide: true, operationId: 'openapi' } }, async () =>
    app.swagger(),
  );
  taskRoutes(app, mill);
  artifactDownloadRoute(app, mill);
  retryManyRoute(app, mill);
  cancelManyRoute(app, mill);
  taskAttemptsRoute(app, mill);
  taskAdminRoutes(app, mill);
  taskTypeRoutes(app, mill);
  fleetRoutes(app, mill);
  workerTasksRoute(app, mill);
  accessRoute(app, (options.tokens ?? []).length > 0);
  scheduleRoutes(app, mill.schedules);
  pipelineRoutes(app, mill.pipelines);
  const hub = new EventHub(mill, options.events, (drop) =>
    app.log.warn(drop, 'event-stream client dropped: it was not reading its events'),
  );
  HUBS.set(app, hub);
  eventRoutes(app, hub);
  const metrics = new Metrics(mill, hub);
  metricsRoute(app, metrics);
  const remote = mill.remoteWorkers(options.remoteWorkers);
  remoteWorkerRoutes(app, remote);
  remote.startPush((error) => app.log.warn({ err: error }, 'push dispatch round failed'));
  // Streams never end by themselves: end them first, or closing would wait for them forever.
  app.addHook('preClose', async () => {
    hub.close();
    metrics.close();
    await remote.close();
  });
  const readiness = options.readiness ?? { worker: null, staleAfterMs: 10_000 };
  healthRoutes(app, mill, { ...readiness, endpoints: () => remote.endpoints() });
  dashboardRoutes(app, options.dashboardDir);
  return app;
}
