/** JSON Schemas of the remote worker protocol (shapes in src/worker/remote/protocol.ts). */
import { PRIORITIES } from '../../core/priority.ts';
import { STATUSES } from '../../core/status.ts';
import { LOG_LEVELS } from '../../core/task.ts';
import type { RemoteHeartbeat, RemoteRegistration } from '../../worker/remote/protocol.ts';
import {
  CHOSEN_ID_PATTERN,
  heartbeatLoad,
  MAX_CAPACITY,
  MAX_METADATA_BYTES,
  UNIT_ID_PATTERN,
  unitRegistration,
} from '../../worker/remote/unit-registration.ts';
import { WORKER_SECRET_HEADER } from '../../worker/remote/worker-secret.ts';
import { uuid } from '../schemas.ts';
import type { FormChoice } from './unit-validation.ts';

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

/** A worker id: the server's (a UUID) or one a unit chose. */
const workerId = {
  type: 'string',
  pattern: UNIT_ID_PATTERN.source,
  description: 'The id the registration answered (server-made UUID, or the id the unit chose).',
} as const;
const unitName = { type: 'string', minLength: 1, maxLength: 200 } as const;
const capacity = { type: 'integer', minimum: 1, maximum: MAX_CAPACITY } as const;
const metadata = {
  type: 'object',
  description: `Free-form facts about the unit (CPU, memory…): at most ${MAX_METADATA_BYTES} bytes as JSON; the latest is kept and listed.`,
  maxProperties: 100,
} as const;

export const workerParams = {
  type: 'object',
  required: ['workerId'],
  properties: { workerId },
} as const;

export const workerTaskParams = {
  type: 'object',
  required: ['workerId', 'taskId'],
  properties: { workerId, taskId: uuid },
} as const;

const registrationProperties = {
  id: {
    type: 'string',
    pattern: CHOSEN_ID_PATTERN,
    description:
      'An id of its own (1..128 of A-Z a-z 0-9 . _ : -, not shaped as a UUID); absent: the server makes one. A live unit’s id is refused (409 WORKER_ID_TAKEN).',
  },
  name: unitName,
  unitName: { ...unitName, description: 'Seed 002’s name for `name` (give one of the two).' },
  host: { type: 'string', minLength: 1, maxLength: 255 },
  pid: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
  concurrency: {
    ...capacity,
    description: 'How many tasks it runs at once: no claim hands it more.',
  },
  capacity: {
    ...capacity,
    description: 'Seed 002’s name for `concurrency` (give one of the two).',
  },
  types: names,
  unitType: {
    type: 'string',
    minLength: 1,
    maxLength: 100,
    description: 'The unit’s kind, listed; without `types`, the task type it runs.',
  },
  queues: { anyOf: [names, { type: 'null' }] },
  version: { type: 'string', minLength: 1, maxLength: 100 },
  endpoint: {
    type: 'string',
    format: 'uri',
    maxLength: 2048,
    description: 'An absolute http:// or https:// URL: the unit takes its tasks there (push).',
  },
  metadata,
} as const;

type RegistrationKey = keyof typeof registrationProperties;

/**
 * One form per choice of names: `name` or seed 002's `unitName`, `concurrency` or `capacity`,
 * `types` or a `unitType` that is a task type. A form lists only its own names of each pair, so
 * a body that gives both is refused, and the OpenAPI document says exactly what is accepted.
 * src/worker/remote/unit-registration.ts resolves the aliases.
 */
function registrationForm(
  nameKey: 'name' | 'unitName',
  capacityKey: 'concurrency' | 'capacity',
  typesKey: 'types' | 'unitType',
) {
  const other = {
    name: 'unitName',
    unitName: 'name',
    concurrency: 'capacity',
    capacity: 'concurrency',
  };
  const left = new Set<string>([other[nameKey], other[capacityKey]]);
  const properties = Object.fromEntries(
    Object.entries(registrationProperties).filter(([key]) => !left.has(key)),
  ) as Partial<typeof registrationProperties>;
  const required: RegistrationKey[] = [nameKey, capacityKey, typesKey];
  return { type: 'object', additionalProperties: false, required, properties };
}

/** Which of the registration's forms a body meant (refuseInvalid, unit-validation.ts). */
export const registrationForms: FormChoice = {
  explain: (body) => unitRegistration(body as RemoteRegistration),
  form: (body) =>
    ('unitName' in body ? 4 : 0) + ('capacity' in body ? 2 : 0) + ('types' in body ? 0 : 1),
};

export const registration = {
  description:
    'Give name (or unitName), concurrency (or capacity), and types (or a unitType that is a task type); one name of each pair.',
  anyOf: (['name', 'unitName'] as const).flatMap((n) =>
    (['concurrency', 'capacity'] as const).flatMap((c) =>
      (['types', 'unitType'] as const).map((t) => registrationForm(n, c, t)),
    ),
  ),
};

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
    pushSecret: {
      type: 'string',
      description:
        'Only for a unit with an endpoint: the key the server signs its deliveries with. Given once.',
    },
  },
} as const;

const heartbeatProperties = {
  rssBytes: { type: 'integer', minimum: 0 },
  metadata,
  tasks: {
    type: 'array',
    description:
      'Every task held now: their leases are renewed. Absent: every task running under the unit’s id since it registered is renewed.',
    maxItems: 10_000,
    items: {
      type: 'object',
      required: ['id', 'leaseToken'],
      additionalProperties: false,
      properties: { id: uuid, leaseToken: token },
    },
  },
} as const;
const load = { type: 'number', minimum: 0, maximum: MAX_CAPACITY } as const;

/** Which of the heartbeat's forms a body meant (refuseInvalid, unit-validation.ts). */
export const heartbeatForms: FormChoice = {
  explain: (body) => void heartbeatLoad(body as RemoteHeartbeat),
  form: (body) => ('currentLoad' in body ? 1 : 0),
};

/** `load` or seed 002's `currentLoad` (one of them, or neither to keep the last one). */
export const heartbeat = {
  anyOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: { load: { ...load, description: 'Tasks running now.' }, ...heartbeatProperties },
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        currentLoad: { ...load, description: 'Seed 002’s name for `load`.' },
        ...heartbeatProperties,
      },
    },
  ],
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
