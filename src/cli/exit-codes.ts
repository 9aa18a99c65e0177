/**
 * Exit codes of the `taskmill` command. Scripts branch on these, so they are part of the public
 * interface: `docs/reference/cli.md` lists them and a change here is a breaking change.
 */
import type { ErrorCode } from '../core/error-codes.ts';
import type { PipelineRunStatus } from '../core/pipeline-run.ts';
import type { TaskStatus } from '../core/status.ts';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  notFound: 3,
  conflict: 4,
  database: 5,
  /** The worker or server stopped because it could not go on (closed under it), or the server
   * that `--server` names cannot be reached or does not speak the API. */
  unavailable: 6,
  /** `submit --wait` was interrupted (SIGINT/SIGTERM) before the task finished. */
  interrupted: 130,
  taskFailed: 10,
  taskTimedOut: 11,
  taskCancelled: 12,
} as const;

/**
 * Typed as a full record so that a new error code does not compile until someone decides which
 * exit code it gets.
 */
const BY_ERROR_CODE: Record<ErrorCode, number> = {
  TASK_INPUT_INVALID: EXIT.badInput,
  TASK_INPUT_TOO_LARGE: EXIT.badInput,
  TASK_OUTPUT_INVALID: EXIT.unexpected,
  TASK_DEFINITION_INVALID: EXIT.badInput,
  TASK_TYPE_DUPLICATE: EXIT.badInput,
  TASK_TYPE_UNKNOWN: EXIT.badInput,
  TASK_NOT_FOUND: EXIT.notFound,
  WORKER_NOT_FOUND: EXIT.notFound,
  TASK_ILLEGAL_TRANSITION: EXIT.conflict,
  IDEMPOTENCY_CONFLICT: EXIT.conflict,
  DEPENDENCY_NOT_FOUND: EXIT.notFound,
  DEPENDENCY_FAILED: EXIT.conflict,
  LEASE_LOST: EXIT.conflict,
  SCHEDULE_NOT_FOUND: EXIT.notFound,
  SCHEDULE_EXISTS: EXIT.conflict,
  SCHEDULE_INVALID: EXIT.badInput,
  SCHEDULE_FILE_INVALID: EXIT.badInput,
  PIPELINE_INVALID: EXIT.badInput,
  PIPELINE_INPUT_INVALID: EXIT.badInput,
  PIPELINE_NOT_FOUND: EXIT.notFound,
  PIPELINE_RUN_NOT_FOUND: EXIT.notFound,
  PIPELINE_RUN_STATE: EXIT.conflict,
  PIPELINE_STEP_INVALID: EXIT.unexpected,
  PRIORITY_INVALID: EXIT.badInput,
  QUEUE_NAME_INVALID: EXIT.badInput,
  OPTIONS_INVALID: EXIT.badInput,
  CURSOR_INVALID: EXIT.badInput,
  ARTIFACT_NAME_INVALID: EXIT.badInput,
  ARTIFACT_WRITE_FAILED: EXIT.unexpected,
  WAIT_TIMEOUT: EXIT.unexpected,
  DATABASE_URL_INVALID: EXIT.database,
  DATABASE_UNSUPPORTED: EXIT.database,
  DATABASE_OPEN_FAILED: EXIT.database,
  DATABASE_NOT_FOUND: EXIT.database,
  STORE_NOT_TASKMILL: EXIT.database,
  SCHEMA_TOO_NEW: EXIT.database,
  MIGRATION_CHECKSUM_MISMATCH: EXIT.database,
  STORE_BUSY: EXIT.database,
  STORE_QUERY_FAILED: EXIT.database,
  STORE_UNAVAILABLE: EXIT.database,
  DATABASE_READ_ONLY: EXIT.database,
  MILL_CLOSED: EXIT.unavailable,
  HANDLER_ERROR: EXIT.unexpected,
  TASK_TIMED_OUT: EXIT.taskTimedOut,
  TASK_CANCELLED: EXIT.taskCancelled,
  WORKER_CRASHED: EXIT.taskFailed,
  EXECUTOR_CRASHED: EXIT.taskFailed,
  WORKER_SHUTDOWN: EXIT.unexpected,
  TASKS_MODULE_INVALID: EXIT.badInput,
  CLI_INPUT_INVALID: EXIT.badInput,
  REQUEST_INVALID: EXIT.badInput,
  REQUEST_MALFORMED: EXIT.badInput,
  REQUEST_TOO_LARGE: EXIT.badInput,
  UNSUPPORTED_MEDIA_TYPE: EXIT.badInput,
  ROUTE_NOT_FOUND: EXIT.unexpected,
  ARTIFACT_NOT_FOUND: EXIT.notFound,
  AUTH_REQUIRED: EXIT.badInput,
  AUTH_INVALID: EXIT.badInput,
  AUTH_FORBIDDEN: EXIT.badInput,
  HOST_NOT_ALLOWED: EXIT.badInput,
  ORIGIN_NOT_ALLOWED: EXIT.badInput,
  REQUEST_TIMEOUT: EXIT.unavailable,
  REQUEST_HEADERS_TOO_LARGE: EXIT.badInput,
  WORKER_SECRET_INVALID: EXIT.badInput,
  WORKER_ID_TAKEN: EXIT.conflict,
  INTERNAL_ERROR: EXIT.unexpected,
  SERVER_UNREACHABLE: EXIT.unavailable,
  EVENT_STREAM_FULL: EXIT.unavailable,
  SERVER_RESPONSE_INVALID: EXIT.unavailable,
};

export function exitCodeForError(code: ErrorCode): number {
  return BY_ERROR_CODE[code];
}

/** What `submit --wait` exits with once the task has settled. */
export function exitCodeForStatus(status: TaskStatus): number {
  switch (status) {
    case 'completed':
      return EXIT.ok;
    case 'failed':
      return EXIT.taskFailed;
    case 'timed_out':
      return EXIT.taskTimedOut;
    case 'cancelled':
      return EXIT.taskCancelled;
    default:
      return EXIT.unexpected;
  }
}

/** What `pipelines run --wait` and `pipelines show --watch` exit with once the run has ended:
 * the codes of `submit --wait`, so scripts branch on both alike. */
export function exitCodeForRunStatus(status: PipelineRunStatus): number {
  return status === 'running' ? EXIT.unexpected : exitCodeForStatus(status);
}
