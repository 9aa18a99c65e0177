import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  ClaimRequest,
  CompleteReport,
  FailReport,
  LogReport,
  ProgressReport,
  RemoteHeartbeat,
  RemoteRegistration,
} from '../../worker/remote/protocol.ts';
import type { RemoteWorkers } from '../../worker/remote/remote-workers.ts';
import { WORKER_SECRET_HEADER } from '../../worker/remote/worker-secret.ts';
import { errorResponses } from '../schemas.ts';
import * as s from './remote-worker-schemas.ts';
import { refuseInvalid } from './unit-validation.ts';

type WorkerParams = { workerId: string };
type TaskParams = { workerId: string; taskId: string };

/** Aborted when the client goes away before its answer is written (a long poll it gave up). */
function abandoned(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Before anything else of a call for a worker: only the holder of its secret may make it. */
function ownWorker(remote: RemoteWorkers) {
  return async (request: FastifyRequest): Promise<void> => {
    const { workerId } = request.params as Partial<WorkerParams>;
    await remote.authenticate(workerId ?? '', request.headers[WORKER_SECRET_HEADER]);
  };
}

/**
 * The worker protocol over HTTP (scope `worker`): a program in any language registers, claims
 * tasks with a long poll, heartbeats, reports progress and logs, and completes, fails or
 * releases each task under its lease. docs/guides/remote-workers.md walks through it.
 */
export function remoteWorkerRoutes(app: FastifyInstance, remote: RemoteWorkers): void {
  const tags = ['worker protocol'];
  const own = ownWorker(remote);
  // Seed 002's paths are aliases of the first two: same handler, same checks, same scope.
  for (const [path, operationId, alias] of [
    ['/api/v1/workers', 'registerWorker', ''],
    ['/api/v1/execution-units/register', 'registerExecutionUnit', ' (seed 002’s path)'],
  ] as const) {
    app.post<{ Body: RemoteRegistration }>(
      path,
      {
        attachValidation: true,
        schema: {
          tags,
          operationId,
          summary: `Register a remote worker or execution unit; the answer has its id, its secret and the lease timing${alias}`,
          body: s.registration,
          response: { 201: s.registered, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        refuseInvalid(request, s.registrationForms);
        const answer = await remote.register(request.body);
        reply.status(201);
        return answer;
      },
    );
  }

  app.delete<{ Params: WorkerParams }>(
    '/api/v1/workers/:workerId',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'deregisterWorker',
        summary: 'Leave the worker list (release held tasks first)',
        params: s.workerParams,
        headers: s.secretHeader,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await remote.deregister(request.params.workerId);
      reply.status(204);
    },
  );

  for (const [path, operationId, alias] of [
    ['/api/v1/workers/:workerId/heartbeat', 'workerHeartbeat', ''],
    ['/api/v1/execution-units/:workerId/heartbeat', 'executionUnitHeartbeat', ' (seed 002’s path)'],
  ] as const) {
    app.post<{ Params: WorkerParams; Body: RemoteHeartbeat }>(
      path,
      {
        onRequest: own,
        attachValidation: true,
        schema: {
          tags,
          operationId,
          summary: `Say the worker lives (load, metadata), renew the leases of the tasks it holds${alias}`,
          params: s.workerParams,
          headers: s.secretHeader,
          body: s.heartbeat,
          response: { 200: s.heartbeatAnswer, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        refuseInvalid(request, s.heartbeatForms);
        return remote.heartbeat(request.params.workerId, request.body ?? {});
      },
    );
  }

  app.post<{ Params: WorkerParams; Body: ClaimRequest }>(
    '/api/v1/workers/:workerId/claim',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'claimTasks',
        summary: 'Take up to `limit` ready tasks, waiting up to `waitMs` for one (long poll)',
        params: s.workerParams,
        headers: s.secretHeader,
        body: s.claim,
        response: { 200: s.claimed, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const body = { ...request.body, waitMs: request.body.waitMs ?? 0 };
      const tasks = await remote.claim(request.params.workerId, body, abandoned(reply));
      return { tasks };
    },
  );

  app.post<{ Params: TaskParams; Body: ProgressReport }>(
    '/api/v1/workers/:workerId/tasks/:taskId/progress',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'reportProgress',
        summary: 'Progress of a held task (percent, message)',
        params: s.workerTaskParams,
        headers: s.secretHeader,
        body: s.progress,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await remote.progress(request.params.workerId, request.params.taskId, request.body);
      reply.status(204);
    },
  );

  app.post<{ Params: TaskParams; Body: LogReport }>(
    '/api/v1/workers/:workerId/tasks/:taskId/logs',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'reportLogs',
        summary: "Log lines of a held task's attempt",
        params: s.workerTaskParams,
        headers: s.secretHeader,
        body: s.logs,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await remote.log(request.params.workerId, request.params.taskId, request.body);
      reply.status(204);
    },
  );

  app.post<{ Params: TaskParams; Body: CompleteReport }>(
    '/api/v1/workers/:workerId/tasks/:taskId/complete',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'completeTask',
        summary: "The attempt succeeded with this output (checked against the type's schema)",
        params: s.workerTaskParams,
        headers: s.secretHeader,
        body: s.complete,
        response: { 200: s.settled, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      remote.complete(request.params.workerId, request.params.taskId, request.body),
  );

  app.post<{ Params: TaskParams; Body: FailReport }>(
    '/api/v1/workers/:workerId/tasks/:taskId/fail',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'failTask',
        summary: 'The attempt failed; the retry policy decides between retrying and failed',
        params: s.workerTaskParams,
        headers: s.secretHeader,
        body: s.fail,
        response: { 200: s.settled, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => remote.fail(request.params.workerId, request.params.taskId, request.body),
  );

  app.post<{ Params: TaskParams; Body: { leaseToken: string } }>(
    '/api/v1/workers/:workerId/tasks/:taskId/release',
    {
      onRequest: own,
      schema: {
        tags,
        operationId: 'releaseTask',
        summary: 'Give a held task back to its queue without using its attempt (shutdown)',
        params: s.workerTaskParams,
        headers: s.secretHeader,
        body: s.release,
        response: { 200: s.settled, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      remote.release(request.params.workerId, request.params.taskId, request.body.leaseToken),
  );
}
