/**
 * Every error a user can see is a TaskmillError with a stable `code`, an HTTP status for the API
 * and `details` that name what was wrong. `docs/reference/errors.md` lists every code; a test
 * keeps the two in step.
 */
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

export type ErrorDetails = Record<string, unknown>;

export class TaskmillError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = ERROR_CODES[code].httpStatus;
    this.details = options.details ?? {};
  }

  toJSON(): { code: string; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** One field that failed validation: where it is and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Input, options or a definition that does not fit its schema. Nothing was written. */
export class ValidationError extends TaskmillError {
  readonly issues: FieldIssue[];
  constructor(code: ErrorCode, message: string, issues: FieldIssue[], details: ErrorDetails = {}) {
    super(code, message, { details: { ...details, issues } });
    this.issues = issues;
  }
}

export class UnknownTaskTypeError extends TaskmillError {
  constructor(type: string, known: readonly string[]) {
    const hint =
      known.length > 0 ? `known types: ${known.join(', ')}` : 'no task types are defined';
    super('TASK_TYPE_UNKNOWN', `Unknown task type "${type}" (${hint}).`, {
      details: { type, known },
    });
  }
}

export class TaskNotFoundError extends TaskmillError {
  constructor(id: string) {
    super('TASK_NOT_FOUND', `No task with id "${id}".`, { details: { id } });
  }
}

export class WorkerNotFoundError extends TaskmillError {
  constructor(id: string) {
    super(
      'WORKER_NOT_FOUND',
      `No registered worker with id "${id}": register again (POST /api/v1/workers) and use the new id.`,
      { details: { workerId: id } },
    );
  }
}

export class IllegalTransitionError extends TaskmillError {
  constructor(from: string, to: string, details: ErrorDetails = {}) {
    super('TASK_ILLEGAL_TRANSITION', `A task cannot go from "${from}" to "${to}".`, {
      details: { ...details, from, to },
    });
  }
}

export class IdempotencyConflictError extends TaskmillError {
  constructor(key: string, existingId: string) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `Idempotency key "${key}" was already used by task ${existingId} with a different type or input; use a new key for a different request.`,
      { details: { idempotencyKey: key, existingId } },
    );
  }
}

/** A submit named a dependency that is not stored, or comes later in the same batch. */
export class DependencyNotFoundError extends TaskmillError {
  constructor(dependsOn: string, index: number) {
    super(
      'DEPENDENCY_NOT_FOUND',
      `Task ${dependsOn}, named in dependsOn, does not exist${index > 0 ? ' (in a batch, a dependency must come before the tasks that depend on it)' : ''}; submit it first, or remove it from dependsOn.`,
      { details: { dependsOn, index } },
    );
  }
}

/** A submit named a dependency that ended without completing: the new task could never run. */
export class DependencyFailedError extends TaskmillError {
  constructor(dependsOn: string, status: string, index: number) {
    super(
      'DEPENDENCY_FAILED',
      `Task ${dependsOn}, named in dependsOn, ended ${status}, so a task depending on it could never run; retry that task first, or remove it from dependsOn.`,
      { details: { dependsOn, status, index } },
    );
  }
}

/** A write from a worker that no longer holds the task's lease. It was rejected, never stored. */
export class LeaseLostError extends TaskmillError {
  constructor(taskId: string, what: string) {
    super('LEASE_LOST', `The lease on task ${taskId} was lost; the ${what} was rejected.`, {
      details: { taskId, what },
    });
  }
}

/** Something about the database itself: its URL, its schema version, or a failed statement. */
export class StoreError extends TaskmillError {}

export class ClosedError extends TaskmillError {
  constructor(what: string) {
    super('MILL_CLOSED', `This ${what} is closed; create a new one.`, {});
  }
}

/**
 * Thrown by a handler to say that retrying cannot help: the attempt fails and no retry follows,
 * whatever the retry policy says.
 */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
