/**
 * `client.pipelines`: the pipeline operations of the library (`mill.pipelines`,
 * PipelineRunOperations in src/core/pipeline-run.ts) over `/api/v1/pipelines`,
 * `/api/v1/pipeline-runs` and `/api/v1/pipeline-batches`, with the same names, arguments and
 * results: times come back as `Date`. Inputs are judged by the server, which knows the
 * pipelines; the options of the calls themselves are checked here. `wait` and `waitBatch`
 * follow `pipeline.run.ended` on the event stream and poll besides.
 */
import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import {
  type ListRunsOptions,
  type PipelineBatch,
  type PipelineInfo,
  type PipelineRun,
  type PipelineRunGraph,
  type PipelineStepStatus,
  RUN_STATUSES,
} from '../core/pipeline-run.ts';
import type { Decoder } from './decode.ts';
import type { Transport } from './http.ts';
import { CLIENT_WAIT_SPEC } from './options.ts';
import type { ClientPipelineOperations, ServerEvent } from './types.ts';
import { type OpenEvents, waitFollowing } from './wait.ts';

export const PIPELINE_LIST_SPEC: OptionSpec = optionSpec<ListRunsOptions>({
  pipeline: is.string,
  status: is.oneOf(...RUN_STATUSES),
  limit: is.whole(1, 1000),
  cursor: is.string,
});
const CANCEL_SPEC: OptionSpec = optionSpec<{ reason?: string }>({ reason: is.string });

type Json = Record<string, unknown>;

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const orNull = <T>(v: unknown): T | null => (v ?? null) as T | null;

function step(decode: Decoder, value: unknown, runId: string): PipelineStepStatus {
  const o = decode.object(value, `a step of run ${runId}`, ['name', 'taskId', 'status']);
  const at = (key: string) => `run ${runId} step ${String(o['name'])}.${key}`;
  return {
    ...(o as unknown as PipelineStepStatus),
    percent: numberOrNull(o['percent']),
    message: typeof o['message'] === 'string' ? o['message'] : null,
    cached: o['cached'] === true,
    items: orNull(o['items']),
    output: o['output'] ?? null,
    error: orNull(o['error']),
    metrics: orNull(o['metrics']),
    durationMs: numberOrNull(o['durationMs']),
    startedAt: decode.dateOrNull(o['startedAt'], at('startedAt')),
    finishedAt: decode.dateOrNull(o['finishedAt'], at('finishedAt')),
    updatedAt: decode.date(o['updatedAt'], at('updatedAt')),
  };
}

function run(decode: Decoder, value: unknown): PipelineRun {
  const o = decode.object(value, 'a pipeline run', ['id', 'pipeline', 'status', 'createdAt']);
  const id = String(o['id']);
  const at = (key: string) => `run ${id}.${key}`;
  return {
    ...(o as unknown as PipelineRun),
    input: o['input'] ?? null,
    steps: decode.array(o['steps'] ?? [], at('steps')).map((s) => step(decode, s, id)),
    output: orNull(o['output']),
    error: orNull(o['error']),
    batch: orNull(o['batch']),
    cancelRequested: o['cancelRequested'] === true,
    createdAt: decode.date(o['createdAt'], at('createdAt')),
    updatedAt: decode.date(o['updatedAt'], at('updatedAt')),
    endedAt: decode.dateOrNull(o['endedAt'], at('endedAt')),
    durationMs: numberOrNull(o['durationMs']),
  };
}

function batch(decode: Decoder, value: unknown): PipelineBatch {
  const o = decode.object(value, 'a batch of runs', ['id', 'pipeline', 'total', 'runs']);
  const runs = decode.array(o['runs'], 'batch.runs').map((r) => {
    const x = decode.object(r, 'a run of the batch', ['id', 'status']);
    return {
      id: String(x['id']),
      status: x['status'] as PipelineRun['status'],
      output: orNull<Record<string, unknown>>(x['output']),
    };
  });
  return {
    id: String(o['id']),
    pipeline: String(o['pipeline']),
    total: Number(o['total']),
    completed: Number(o['completed'] ?? 0),
    failed: Number(o['failed'] ?? 0),
    cancelled: Number(o['cancelled'] ?? 0),
    running: Number(o['running'] ?? 0),
    runs,
  };
}

const runEnded = (event: ServerEvent, runId?: string): boolean =>
  event.kind === 'pipeline.run.ended' && (runId === undefined || event.data.runId === runId);

export function pipelineOperations(
  http: Transport,
  decode: Decoder,
  events: OpenEvents,
): ClientPipelineOperations {
  const runPath = (id: string, more = '') =>
    `/api/v1/pipeline-runs/${encodeURIComponent(id)}${more}`;
  const oneRun = async (method: 'GET' | 'POST', path: string, body?: unknown) =>
    run(decode, await http.json({ method, path, body }));
  const start = (name: string, body: Json) =>
    http.json({
      method: 'POST',
      path: `/api/v1/pipelines/${encodeURIComponent(name)}/runs`,
      body,
    });
  const ops: ClientPipelineOperations = {
    async definitions() {
      const body = await http.json({ method: 'GET', path: '/api/v1/pipelines' });
      return decode.array(body, 'the pipelines') as PipelineInfo[];
    },
    // JSON has no undefined: an absent input goes as null, for the pipeline's schema to judge.
    run: async (name, input) => run(decode, await start(name, { input: input ?? null })),
    runMany: async (name, inputs) => batch(decode, await start(name, { inputs })),
    get: (id) => oneRun('GET', runPath(id)),
    async list(options = {}) {
      checkOptions(PIPELINE_LIST_SPEC, options, 'options');
      const { pipeline, status, limit, cursor } = options;
      const query = { pipeline, status, limit, cursor };
      const body = decode.object(
        await http.json({ method: 'GET', path: '/api/v1/pipeline-runs', query }),
        'the run list',
        ['runs'],
      );
      const next = body['nextCursor'];
      return {
        runs: decode.array(body['runs'], 'the run list').map((r) => run(decode, r)),
        nextCursor: typeof next === 'string' ? next : null,
      };
    },
    async batch(id) {
      const path = `/api/v1/pipeline-batches/${encodeURIComponent(id)}`;
      return batch(decode, await http.json({ method: 'GET', path }));
    },
    async graph(id) {
      const body = decode.object(
        await http.json({ method: 'GET', path: runPath(id, '/graph') }),
        'the run graph',
        ['runId', 'nodes', 'edges'],
      );
      return body as unknown as PipelineRunGraph;
    },
    async cancel(id, options = {}) {
      checkOptions(CANCEL_SPEC, options, 'options');
      return oneRun(
        'POST',
        runPath(id, '/cancel'),
        options.reason === undefined ? undefined : options,
      );
    },
    resume: (id) => oneRun('POST', runPath(id, '/resume')),
    async wait(id, options = {}) {
      checkOptions(CLIENT_WAIT_SPEC, options, 'options');
      return waitFollowing(
        {
          get: () => ops.get(id),
          done: (r) => r.status !== 'running',
          events,
          follow: { kinds: ['pipeline.run.ended'] },
          relevant: (event) => runEnded(event, id),
          what: `Pipeline run ${id}`,
          details: { runId: id },
        },
        options,
      );
    },
    async waitBatch(id, options = {}) {
      checkOptions(CLIENT_WAIT_SPEC, options, 'options');
      return waitFollowing(
        {
          get: () => ops.batch(id),
          done: (b) => b.running === 0,
          events,
          follow: { kinds: ['pipeline.run.ended'] },
          relevant: (event) => runEnded(event),
          what: `Batch ${id}`,
          details: { batchId: id },
        },
        options,
      );
    },
  };
  return ops;
}
