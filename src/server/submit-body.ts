import { type AnyTaskDefinition, taskJsonSchemas } from '../core/define-task.ts';
import { ValidationError } from '../core/errors.ts';
import type { SubmitOptions } from '../mill/types.ts';
import { submitOptionsProperties } from './schemas.ts';

/** The options part of a submit body, as the HTTP API takes it. */
export interface SubmitBodyOptions {
  name?: string;
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
  if (body.name !== undefined) options.name = body.name;
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

const typeName = { type: 'string', minLength: 1, maxLength: 128 } as const;

/**
 * The body of `POST /api/v1/tasks`: any type, its input checked by the type's schema. Seed 002's
 * body is taken as well: `taskType` for `type` and `config` for `input` (one of each pair, which
 * `genericSubmitItem` checks, so neither is `required` here).
 */
export const genericSubmitBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: typeName,
    taskType: { ...typeName, description: 'The same as type (one of the two)' },
    input: {},
    config: { description: 'The same as input (one of the two)' },
    ...submitOptionsProperties,
  },
} as const;

/** A generic submit body as sent, aliases included. */
export interface GenericSubmitBody extends SubmitBodyOptions {
  type?: string;
  taskType?: string;
  input?: unknown;
  config?: unknown;
}

/** One of a field and its alias: both, or neither, is refused. `at` prefixes the field's path:
 * empty for a single body, `tasks.3.` for an item of a batch. */
function oneOf<T>(
  body: GenericSubmitBody,
  name: 'type' | 'input',
  alias: 'taskType' | 'config',
  at: string,
): T {
  const given = body[name] !== undefined;
  const aliased = body[alias] !== undefined;
  if (given === aliased) {
    const problem = given
      ? `give "${name}" or its alias "${alias}", not both`
      : `"${name}" (or its alias "${alias}") is required`;
    throw new ValidationError(
      'REQUEST_INVALID',
      `The request's body is invalid: ${at}${name}: ${problem}.`,
      [{ path: `${at}${name}`, message: problem }],
    );
  }
  return (given ? body[name] : body[alias]) as T;
}

/** The type, input and options of a generic submit body, its aliases resolved. */
export function genericSubmitItem(
  body: GenericSubmitBody,
  at = '',
): { type: string; input: unknown; options: SubmitOptions } {
  const { type: _t, taskType: _tt, input: _i, config: _c, ...options } = body;
  return {
    type: oneOf<string>(body, 'type', 'taskType', at),
    input: oneOf<unknown>(body, 'input', 'config', at),
    options: submitOptionsOf(options),
  };
}
