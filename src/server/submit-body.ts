import { type AnyTaskDefinition, taskJsonSchemas } from '../core/define-task.ts';
import type { SubmitOptions } from '../mill/types.ts';
import { submitOptionsProperties } from './schemas.ts';

/** The options part of a submit body, as the HTTP API takes it. */
export interface SubmitBodyOptions {
  priority?: SubmitOptions['priority'];
  queue?: string;
  delayMs?: number;
  runAt?: string;
  idempotencyKey?: string;
  maxAttempts?: number;
  dependsOn?: string[];
  timeout?: SubmitOptions['timeout'];
}

export function submitOptionsOf(body: SubmitBodyOptions): SubmitOptions {
  const options: SubmitOptions = {};
  if (body.priority !== undefined) options.priority = body.priority;
  if (body.queue !== undefined) options.queue = body.queue;
  if (body.delayMs !== undefined) options.delayMs = body.delayMs;
  if (body.runAt !== undefined) options.runAt = new Date(body.runAt);
  if (body.idempotencyKey !== undefined) options.idempotencyKey = body.idempotencyKey;
  if (body.maxAttempts !== undefined) options.maxAttempts = body.maxAttempts;
  if (body.dependsOn !== undefined) options.dependsOn = body.dependsOn;
  if (body.timeout !== undefined) options.timeout = body.timeout;
  return options;
}

/**
 * A task type's input schema as JSON Schema (draft-07, which the request validator reads and
 * OpenAPI 3.1 accepts), for its typed submit route.
 */
export function inputJsonSchema(def: AnyTaskDefinition): Record<string, unknown> {
  const schema = taskJsonSchemas(def, { target: 'draft-7' }).input as Record<string, unknown>;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** The body of `POST /api/v1/types/<type>/tasks`: the type's own input and the options. */
export function typedSubmitBody(def: AnyTaskDefinition): Record<string, unknown> {
  return {
    type: 'object',
    required: ['input'],
    additionalProperties: false,
    properties: { input: inputJsonSchema(def), ...submitOptionsProperties },
  };
}

/** The body of `POST /api/v1/tasks`: any type, its input checked by the type's schema. */
export const genericSubmitBody = {
  type: 'object',
  required: ['type', 'input'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 128 },
    input: {},
    ...submitOptionsProperties,
  },
} as const;
