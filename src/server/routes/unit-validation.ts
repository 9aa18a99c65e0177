/**
 * Readable refusals for the bodies whose schema is an `anyOf` of forms (a registration names
 * `name` or `unitName`, `concurrency` or `capacity`…; a heartbeat `load` or `currentLoad`). Ajv
 * reports every form's errors when none matches, which buries the one mistake a person made
 * under a dozen about forms they did not mean. These routes take the validation error
 * (`attachValidation`) and refuse with the errors of the form the body chose, after the checks
 * that say plainly what a body mixing two forms did wrong.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { TaskmillError } from '../../core/errors.ts';

type Body = Record<string, unknown>;

export interface FormChoice {
  /** Refuses, with a plain message, a body that gives both names of a pair or neither. */
  explain(body: Body): void;
  /** The index in the schema's `anyOf` of the form this body meant. */
  form(body: Body): number;
}

/** Does nothing when the request passed validation; throws its refusal otherwise. */
export function refuseInvalid(request: FastifyRequest, choice: FormChoice): void {
  const error = request.validationError as FastifyError | undefined;
  if (!error) return;
  const body = request.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (isObject) {
    try {
      choice.explain(body as Body);
    } catch (plain) {
      if (plain instanceof TaskmillError) throw plain;
    }
  }
  // A body that is no object fails every form alike: the first one says so once.
  const prefix = `#/anyOf/${isObject ? choice.form(body as Body) : 0}/`;
  const kept = (error.validation ?? []).filter(
    (v) => v.schemaPath.startsWith(prefix) || !v.schemaPath.startsWith('#/anyOf'),
  );
  if (kept.length > 0) error.validation = kept;
  throw error;
}
