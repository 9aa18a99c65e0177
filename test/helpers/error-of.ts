import { expect } from 'vitest';
import { TaskmillError } from '../../src/index.ts';

/** The TaskmillError a call rejects with (failing the test when it resolves). */
export async function errorOf(call: Promise<unknown>): Promise<TaskmillError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskmillError);
  return error as TaskmillError;
}
