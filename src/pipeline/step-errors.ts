/** The refusal of a step that cannot run: shared by the step runtime and the map's items. */
import { ValidationError } from '../core/errors.ts';

/** The step cannot run: its definition's function or the input it built is at fault. */
export function stepInvalid(step: string, what: string, cause?: unknown): ValidationError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  const error = new ValidationError(
    'PIPELINE_STEP_INVALID',
    `Step "${step}" ${what}${reason}`,
    cause instanceof ValidationError ? cause.issues : [{ path: step, message: what }],
    { step },
  );
  (error as { retryable?: boolean }).retryable = false;
  return error;
}
