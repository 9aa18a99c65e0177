import { isRetryableError } from '../../core/retry-policy.ts';
import type { CrossedError } from './protocol.ts';

/** A handler's error as data that survives the trip out of a thread or process. */
export function crossError(error: unknown): CrossedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof code === 'string' ? code : undefined,
      retryable: isRetryableError(error),
    };
  }
  return { name: 'Error', message: String(error), retryable: true };
}

/**
 * The handler's error again on the worker's side, carrying what the retry policy and the stored
 * error read: its message, stack, `code` and whether it may be retried (`retryable`).
 */
export function uncrossError(crossed: CrossedError): Error {
  const error = new Error(crossed.message) as Error & { code?: string; retryable?: boolean };
  error.name = crossed.name;
  if (crossed.stack) error.stack = crossed.stack;
  if (crossed.code) error.code = crossed.code;
  if (crossed.retryable === false) error.retryable = false;
  return error;
}
