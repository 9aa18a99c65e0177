/** JSON Schemas of the remote worker protocol (shapes in src/worker/remote/protocol.ts). */
import { PRIORITIES } from '../../core/priority.ts';
import { STATUSES } from '../../core/status.ts';
import { LOG_LEVELS } from '../../core/task.ts';
import { WORKER_SECRET_HEADER } from '../../worker/remote/worker-secret.ts';
import { uuid } from '../schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const name = { type: 'string', minLength: 1, maxLength: 128 } as const;
const token = { type: 'string', minLength: 1, maxLength: 200 } as const;
const names = { type: 'array', items: name, minItems: 1, maxItems: 1000 } as const;
const metrics = {
  type: 'object',
  description: 'Figures about the attempt (numbers), kept with its execution.',
  maxProperties: 100,
  additionalProperties: { type: 'number' },
} as const;

export const workerParams = {
  type: 'object',
  required: ['workerId'],
  properties: { workerId: uuid },
} as const;

export const workerTaskParams = {
  type: 'object',
  required: ['workerId', 'taskId'],
  properties: { workerId: uuid, taskId: uuid },
} as const;

export const registration = {
  type: 'object',
  required: ['name', 'concurrency', 'types'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    pid: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
    concurrency: { type: 'integer', minimum: 1, maximum: 10_000 },
    types: names,
    queues: { anyOf: [names, { type: 'null' }] },
    version: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

/** Every call for a worker id carries the secret its registration answered. */
export const secretHeader = {
  type: 'object',
  required: [WORKER_SECRET_HEADER],
  properties: {
    [WORKER_SECRET_HEADER]: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: "The workerSecret of the worker's registration.",
    },
  },
} as const;

export const registered = {
  type: 'object',
  properties: {
    workerId: { type: 'string' },
    workerSecret: {
      type: 'string',
      description: `Send it in the ${WORKER_SECRET_HEADER} header of every call for this worker.`,
    },
    leaseMs: { type: 'integer', description: 'The lease each claim and heartbeat grants.' },
    heartbeatMs: { type: 'integer', description: 'Heartbeat at least this often.' },
    maxWaitMs: { type: 'integer', description: 'The longest wait a claim may ask for.' },
  },
} as const;

export const heartbeat = {
  type: 'object',
  required: ['load', 'tasks'],
  additionalProperties: false,
  properties: {
    load: { type: 'integer', minimum: 0, maximum: 10_000 },
    rssBytes: { type: 'integer', minimum: 0 },
    tasks: {
      type: 'array',
      description: 'Every task held now: their leases are renewed.',
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['id', 'leaseToken'],
        additionalProperties: false,
        properties: { id: uuid, leaseToken: token },
      },
    },
  },
} as const;

export const heartbeatAnswer = {
  type: 'object',
  properties: {
    lost: {
      type: 'array',
      description: 'Stop these: their lease is gone; writes for them are refused.',
      items: { type: 'string' },
    },
    cancel: {
      type: 'array',
      description: 'Cancelled by someone: stop, then call fail (the task ends cancelled).',
      items: { type: 'string' },
    },
  },
} as const;

export const claim = {
  type: 'object',
  required: ['limit'],
  additionalProperties: false,
  properties: {
    types: { ...names, description: 'Default: the types the worker registered.' },
    queues: { anyOf: [names, { type: 'null' }] },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    waitMs: {
      type: 'integer',
      minimum: 0,
      maximum: 300_000,
      description: 'Wait this long for a task when none is ready (capped at maxWaitMs).',
    },
  },
} as const;

export const claimed = {
  type: 'object',
  properties: {
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          queue: { type: 'string' },
          priority: { type: 'string', enum: [...PRIORITIES] },
          input: {},
          attempt: { type: 'integer' },
          maxAttempts: { type: 'integer' },
          leaseToken: { type: 'string' },
          leaseExpiresAt: dateTime,
          timeout: {
            type: 'object',
            properties: { softMs: { type: 'integer' }, hardMs: { type: 'integer' } },
          },
        },
      },
    },
  },
} as const;

export const progress = {
  type: 'object',
  required: ['leaseToken', 'percent'],
  additionalProperties: false,
  properties: {
    leaseToken: token,
    percent: { type: 'number', minimum: 0, maximum: 100 },
    message: { type: ['string', 'null'], maxLength: 1000 },
  },
} as const;

export const logs = {
  type: 'object',
  required: ['leaseToken', 'lines'],
  additionalProperties: false,
  properties: {
    leaseToken: token,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['level', 'message'],
        additionalProperties: false,
        properties: {
          level: { type: 'string', enum: [...LOG_LEVELS] },
          message: { type: 'string', maxLength: 65_536 },
        },
      },
    },
  },
} as const;

export const complete = {
  type: 'object',
  required: ['leaseToken'],
  additionalProperties: false,
  properties: { leaseToken: token, output: {}, metrics },
} as const;

export const fail = {
  type: 'object',
  required: ['leaseToken', 'error'],
  additionalProperties: false,
  properties: {
    leaseToken: token,
    error: {
      type: 'object',
      required: ['message'],
      additionalProperties: false,
      properties: {
        message: { type: 'string', minLength: 1, maxLength: 65_536 },
        code: { type: 'string', minLength: 1, maxLength: 100 },
        retryable: { type: 'boolean', description: 'false: fail now, whatever the retry policy.' },
        stack: { type: 'string', maxLength: 65_536 },
      },
    },
    metrics,
  },
} as const;

export const release = {
  type: 'object',
  required: ['leaseToken'],
  additionalProperties: false,
  properties: { leaseToken: token },
} as const;

export const settled = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...STATUSES] },
    runAt: { type: ['string', 'null'], format: 'date-time' },
    error: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            retryable: { type: 'boolean' },
          },
        },
      ],
    },
  },
} as const;
