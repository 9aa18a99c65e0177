import { expect } from 'vitest';
import { TaskmillError, ValidationError } from '../../src/index.ts';

/** The TaskmillError a call rejects with (failing the test when it resolves). */
export async function errorOf(call: Promise<unknown>): Promise<TaskmillError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskmillError);
  return error as TaskmillError;
}

/** The ValidationError a call throws, or rejects with (failing the test when it succeeds). */
export async function refusalOf(call: () => unknown): Promise<ValidationError> {
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

/** The ValidationError a synchronous call throws (failing the test when it returns). */
export function thrownRefusal(call: () => unknown): ValidationError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}
