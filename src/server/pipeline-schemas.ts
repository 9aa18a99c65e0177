/**
 * JSON Schemas of the pipeline routes: a registered pipeline, a run with its steps, a batch of
 * runs, a run's graph, and what starting one takes. The words are those of
 * src/core/pipeline-run.ts, which the library, the client and the CLI share.
 */
import { RUN_STATUSES } from '../core/pipeline-run.ts';
import { STATUSES } from '../core/status.ts';
import { taskError } from './schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const runStatus = { type: 'string', enum: [...RUN_STATUSES] } as const;
const stepStatus = { type: 'string', enum: [...STATUSES] } as const;
const mode = { type: 'string', enum: ['parallel', 'sequential'] } as const;
const onFailure = { type: 'string', enum: ['failFast', 'continue'] } as const;

/** As `runMany` takes them: one run per input, all started in one transaction. */
export const RUN_MANY_MAX = 10_000;

const progress = {
  type: 'object',
  required: ['done', 'total'],
  properties: { done: { type: 'integer' }, total: { type: 'integer' } },
} as const;

/** The rule of src/pipeline/check-steps.ts (NAME_RE), so a bad name never reaches the mill. */
export const pipelineNameParams = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
      description:
        'A registered pipeline: 1..128 of [A-Za-z0-9._:-], starting with a letter or digit',
    },
  },
} as const;

const runFields = {
  input: { description: "One run's input, checked against the pipeline's input schema" },
  inputs: {
    type: 'array',
    minItems: 1,
    maxItems: RUN_MANY_MAX,
    description: 'One run per input, all started in one transaction (runMany): a batch',
  },
} as const;

/** `input` or `inputs`, not both. Each branch is whole (its type, its field), so that a client
 * generator, or the fuzzer, can build a request from either alone; unknown fields are refused
 * once, at the top. */
export const runBody = {
  type: 'object',
  additionalProperties: false,
  properties: runFields,
  oneOf: [
    { type: 'object', required: ['input'], properties: { input: runFields.input } },
    { type: 'object', required: ['inputs'], properties: { inputs: runFields.inputs } },
  ],
  description: 'Either `input` (one run) or `inputs` (a batch), not both',
} as const;

export const runListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pipeline: { type: 'string', maxLength: 128 },
    status: runStatus,
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Default 50' },
    cursor: { type: 'string', maxLength: 1000, description: "The previous page's nextCursor" },
  },
} as const;

const step = {
  type: 'object',
  required: ['name', 'task', 'taskId', 'status', 'progress', 'updatedAt'],
  properties: {
    name: { type: 'string' },
    task: { type: 'string', description: 'The task type the step runs' },
    taskId: {
      type: 'string',
      description: "The step's own task (a map step's: the one that fans out and gathers)",
    },
    status: stepStatus,
    attempt: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    progress: { ...progress, description: 'A plain step: 0 or 1 of 1; a map step: its items' },
    percent: { ...nullableNumber, description: "The handler's last progress report" },
    message: { type: ['string', 'null'] },
    cached: { type: 'boolean', description: "Its output was reused from an earlier run's" },
    items: {
      type: ['object', 'null'],
      additionalProperties: { type: 'integer' },
      description: "A map step's items by status; null for a plain step",
    },
    output: {},
    error: taskError,
    metrics: {
      type: ['object', 'null'],
      additionalProperties: { type: 'number' },
      description: 'durationMs, peakRssBytes and what the handler reported with ctx.metric',
    },
    durationMs: nullableNumber,
    startedAt: nullableDateTime,
    finishedAt: nullableDateTime,
    updatedAt: dateTime,
  },
} as const;

export const pipelineRunSchema = {
  $id: 'PipelineRun',
  type: 'object',
  required: ['id', 'pipeline', 'status', 'progress', 'steps', 'createdAt'],
  properties: {
    id: { type: 'string' },
    pipeline: { type: 'string' },
    status: runStatus,
    input: {},
    mode,
    onFailure,
    progress: { ...progress, description: 'Steps that ended of all steps' },
    items: { ...progress, description: 'Map items that ended of all items created so far' },
    steps: { type: 'array', items: step },
    output: {
      type: ['object', 'null'],
      additionalProperties: true,
      description: "The leaf steps' outputs by step name, once the run completed",
    },
    error: {
      type: ['object', 'null'],
      properties: {
        step: { type: 'string' },
        taskId: { type: 'string' },
        code: { type: 'string' },
        message: { type: 'string' },
      },
      description: 'The first step that failed',
    },
    batch: {
      type: ['object', 'null'],
      properties: { id: { type: 'string' }, index: { type: 'integer' } },
      description: 'The runMany batch the run belongs to and its place in it',
    },
    cancelRequested: { type: 'boolean' },
    createdAt: dateTime,
    updatedAt: dateTime,
    endedAt: nullableDateTime,
    durationMs: nullableNumber,
  },
} as const;

export const pipelineBatchSchema = {
  $id: 'PipelineBatch',
  type: 'object',
  required: ['id', 'pipeline', 'total', 'runs'],
  properties: {
    id: { type: 'string' },
    pipeline: { type: 'string' },
    total: { type: 'integer' },
    completed: { type: 'integer' },
    failed: { type: 'integer' },
    cancelled: { type: 'integer' },
    running: { type: 'integer' },
    runs: {
      type: 'array',
      description: 'In the order of the inputs',
      items: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'string' },
          status: runStatus,
          output: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
  },
} as const;

export const pipelineGraphSchema = {
  type: 'object',
  required: ['runId', 'pipeline', 'status', 'nodes', 'edges'],
  properties: {
    runId: { type: 'string' },
    pipeline: { type: 'string' },
    status: runStatus,
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'task', 'map', 'status', 'progress'],
        properties: {
          id: { type: 'string', description: 'The step name' },
          task: { type: 'string' },
          map: { type: 'boolean' },
          status: stepStatus,
          progress,
        },
      },
    },
    edges: {
      type: 'array',
      description: 'Parent to child',
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: { from: { type: 'string' }, to: { type: 'string' } },
      },
    },
  },
} as const;

export const pipelineInfoSchema = {
  type: 'object',
  required: ['name', 'mode', 'onFailure', 'steps'],
  properties: {
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    mode,
    onFailure,
    steps: {
      type: 'array',
      description: 'In topological order',
      items: {
        type: 'object',
        required: ['name', 'task', 'dependsOn', 'map'],
        properties: {
          name: { type: 'string' },
          task: { type: 'string' },
          dependsOn: { type: 'array', items: { type: 'string' } },
          map: { type: 'boolean' },
          concurrency: {
            type: ['integer', 'null'],
            description: "A map step's bound on items at once",
          },
        },
      },
    },
  },
} as const;
