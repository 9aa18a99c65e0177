import type { FastifyInstance } from 'fastify';
import type { ListRunsOptions, PipelineRunOperations } from '../../core/pipeline-run.ts';
import {
  pipelineGraphSchema,
  pipelineInfoSchema,
  pipelineNameParams,
  runBody,
  runListQuery,
} from '../pipeline-schemas.ts';
import { errorResponses, idParams } from '../schemas.ts';

const run = { $ref: 'PipelineRun#' };
const batch = { $ref: 'PipelineBatch#' };
const tags = ['pipelines'];

type ById = { Params: { id: string } };
type RunBody = { input?: unknown; inputs?: unknown[] };

/**
 * Pipelines over HTTP: the operations of `mill.pipelines` (PipelineRunOperations), one route
 * each, with the same names and meaning; waiting is the client's (it follows the events). Reads
 * need the `read` scope; starting, cancelling and resuming runs `admin` (auth.ts).
 */
export function pipelineRoutes(app: FastifyInstance, pipelines: PipelineRunOperations): void {
  app.get(
    '/api/v1/pipelines',
    {
      schema: {
        tags,
        operationId: 'listPipelines',
        summary: 'The pipelines registered in this server, each with its steps in order',
        response: { 200: { type: 'array', items: pipelineInfoSchema } },
      },
    },
    async () => pipelines.definitions(),
  );

  app.post<{ Params: { name: string }; Body: RunBody }>(
    '/api/v1/pipelines/:name/runs',
    {
      schema: {
        tags,
        operationId: 'startPipelineRun',
        summary:
          'Start a run with `input`, or one run per item of `inputs` in one transaction (a batch); nothing starts when an input is invalid',
        params: pipelineNameParams,
        body: runBody,
        response: { 201: { anyOf: [run, batch] }, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const { inputs } = request.body;
      const started =
        inputs === undefined
          ? await pipelines.run(name, request.body.input)
          : await pipelines.runMany(name, inputs);
      reply.status(201);
      return started;
    },
  );

  app.get<{ Querystring: ListRunsOptions }>(
    '/api/v1/pipeline-runs',
    {
      schema: {
        tags,
        operationId: 'listPipelineRuns',
        summary: 'Runs, newest first, by pipeline and status; pass nextCursor back as cursor',
        querystring: runListQuery,
        response: {
          200: {
            type: 'object',
            required: ['runs', 'nextCursor'],
            properties: {
              runs: { type: 'array', items: run },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request) => pipelines.list(request.query),
  );

  app.get<ById>(
    '/api/v1/pipeline-runs/:id',
    {
      schema: {
        tags,
        operationId: 'getPipelineRun',
        summary: 'A run with its progress, each step and, once completed, its output',
        params: idParams,
        response: { 200: run, ...errorResponses(400, 404) },
      },
    },
    async (request) => pipelines.get(request.params.id),
  );

  app.get<ById>(
    '/api/v1/pipeline-runs/:id/graph',
    {
      schema: {
        tags,
        operationId: 'getPipelineRunGraph',
        summary:
          "The run's graph for drawing: its steps with their status, and parent → child edges",
        params: idParams,
        response: { 200: pipelineGraphSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => pipelines.graph(request.params.id),
  );

  app.post<ById & { Body: { reason?: string } | undefined }>(
    '/api/v1/pipeline-runs/:id/cancel',
    {
      schema: {
        tags,
        operationId: 'cancelPipelineRun',
        summary:
          'Cancel what has not finished (running steps are aborted); the run ends cancelled once they stopped',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
        },
        response: { 200: run, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      return pipelines.cancel(request.params.id, reason === undefined ? undefined : { reason });
    },
  );

  app.post<ById>(
    '/api/v1/pipeline-runs/:id/resume',
    {
      schema: {
        tags,
        operationId: 'resumePipelineRun',
        summary:
          'Run a failed or cancelled run again from the steps that did not complete; completed ones keep their outputs',
        params: idParams,
        response: { 200: run, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => pipelines.resume(request.params.id),
  );

  app.get<ById>(
    '/api/v1/pipeline-batches/:id',
    {
      schema: {
        tags,
        operationId: 'getPipelineBatch',
        summary: 'The runs of one batch in input order, with completed of total and their outputs',
        params: idParams,
        response: { 200: batch, ...errorResponses(400, 404) },
      },
    },
    async (request) => pipelines.batch(request.params.id),
  );
}
