/**
 * The registry of error codes: each with the HTTP status the API answers with and what it means.
 * `TaskmillError` accepts only these codes, and a test checks `docs/reference/errors.md` against
 * this list both ways, so a new code cannot ship undocumented.
 */
export const ERROR_CODES = {
  TASK_INPUT_INVALID: {
    httpStatus: 400,
    summary: "The input does not match the task type's schema.",
  },
  TASK_INPUT_TOO_LARGE: {
    httpStatus: 413,
    summary: 'The input is larger than a task takes (1 MiB as JSON).',
  },
  TASK_OUTPUT_INVALID: {
    httpStatus: 422,
    summary: "A handler returned output that does not match the task type's output schema.",
  },
  TASK_DEFINITION_INVALID: {
    httpStatus: 500,
    summary:
      'A task definition has an unknown option, or a bad name, schema, handler, retry policy or timeout.',
  },
  TASK_TYPE_DUPLICATE: { httpStatus: 500, summary: 'Two task definitions share one name.' },
  TASK_TYPE_UNKNOWN: { httpStatus: 400, summary: 'No task type of that name is defined.' },
  TASK_NOT_FOUND: { httpStatus: 404, summary: 'No task has that id.' },
  WORKER_NOT_FOUND: {
    httpStatus: 404,
    summary: 'No registered worker has that id (never registered, removed, or deregistered).',
  },
  TASK_ILLEGAL_TRANSITION: {
    httpStatus: 409,
    summary: "The task's status does not allow that change.",
  },
  IDEMPOTENCY_CONFLICT: {
    httpStatus: 409,
    summary: 'The idempotency key was used before with a different type or input.',
  },
  DEPENDENCY_NOT_FOUND: {
    httpStatus: 400,
    summary: 'A task named in dependsOn does not exist (or comes later in the same batch).',
  },
  DEPENDENCY_FAILED: {
    httpStatus: 409,
    summary:
      'A task named in dependsOn ended without completing, so a task depending on it could never run; also the error of a pending task ended for that reason.',
  },
  SCHEDULE_NOT_FOUND: { httpStatus: 404, summary: 'No schedule has that name.' },
  SCHEDULE_EXISTS: {
    httpStatus: 409,
    summary: 'A schedule of that name exists already; update it, or pick another name.',
  },
  SCHEDULE_INVALID: {
    httpStatus: 400,
    summary:
      'A schedule definition has a bad name, cron expression, time zone, policy or option (details.issues names each field).',
  },
  SCHEDULE_FILE_INVALID: {
    httpStatus: 400,
    summary:
      'A schedules file could not be read, or one of its entries is bad (the error names the entry and the field); nothing from it was applied.',
  },
  PIPELINE_INVALID: {
    httpStatus: 500,
    summary:
      'A pipeline definition has an unknown option, a bad name, a step whose task is not a task definition, a dependsOn naming an unknown step, or a cycle (details.issues names each field).',
  },
  PIPELINE_NOT_FOUND: {
    httpStatus: 404,
    summary:
      'No pipeline of that name is registered in this process (createTaskmill({ pipelines })), or a worker claimed a step of a pipeline it does not know.',
  },
  PIPELINE_INPUT_INVALID: {
    httpStatus: 400,
    summary: "A run's input does not match the pipeline's input schema; nothing was started.",
  },
  PIPELINE_RUN_NOT_FOUND: {
    httpStatus: 404,
    summary: 'No pipeline run has that id.',
  },
  PIPELINE_RUN_STATE: {
    httpStatus: 409,
    summary:
      "The run's status does not allow the change: only a running run can be cancelled, only a failed or cancelled one resumed; a step's task is not retried alone (resume its run).",
  },
  PIPELINE_STEP_INVALID: {
    httpStatus: 422,
    summary:
      "A step's input, when, map.over or cache.key function threw, a map step's list is not an array, or the input it built does not match its task's schema: the step fails without retries.",
  },
  LEASE_LOST: {
    httpStatus: 409,
    summary: "A write came from a worker that no longer holds the task's lease; it was rejected.",
  },
  PRIORITY_INVALID: {
    httpStatus: 400,
    summary: 'The priority is not critical, high, normal, low or 0..3.',
  },
  QUEUE_NAME_INVALID: {
    httpStatus: 400,
    summary: 'The queue name has characters or a length that are not allowed.',
  },
  OPTIONS_INVALID: {
    httpStatus: 400,
    summary: 'An option of a call is unknown, of the wrong type or out of range.',
  },
  CURSOR_INVALID: {
    httpStatus: 400,
    summary: 'The pagination cursor was not made by this list or was altered.',
  },
  ARTIFACT_NAME_INVALID: {
    httpStatus: 400,
    summary:
      'The artifact name is empty, longer than 200 bytes of UTF-8, or contains a path separator.',
  },
  ARTIFACT_WRITE_FAILED: {
    httpStatus: 500,
    summary: "An artifact's file could not be written under the data folder; nothing was stored.",
  },
  WAIT_TIMEOUT: {
    httpStatus: 408,
    summary: 'The task did not finish within the time the caller waited.',
  },
  DATABASE_URL_INVALID: {
    httpStatus: 400,
    summary: 'The database URL is not one taskmill understands.',
  },
  DATABASE_UNSUPPORTED: {
    httpStatus: 400,
    summary: 'The database kind is not supported by this build.',
  },
  DATABASE_OPEN_FAILED: {
    httpStatus: 503,
    summary: 'The database could not be opened (missing folder, permissions, unreachable).',
  },
  DATABASE_NOT_FOUND: {
    httpStatus: 404,
    summary:
      'No database file at that path; a command that only reads or changes tasks creates none.',
  },
  STORE_NOT_TASKMILL: {
    httpStatus: 500,
    summary:
      'The database is not a taskmill database (or not a database at all); nothing was written to it.',
  },
  SCHEMA_TOO_NEW: {
    httpStatus: 500,
    summary: 'The database was migrated by a newer taskmill than this one.',
  },
  MIGRATION_CHECKSUM_MISMATCH: {
    httpStatus: 500,
    summary: 'An applied migration differs from the one this build ships.',
  },
  STORE_BUSY: {
    httpStatus: 503,
    summary: 'The database stayed locked by other processes for longer than the busy timeout.',
  },
  STORE_UNAVAILABLE: {
    httpStatus: 503,
    summary:
      'The database server could not be reached or dropped the connection (an outage); retry later.',
  },
  DATABASE_READ_ONLY: {
    httpStatus: 503,
    summary:
      'The SQLite file (or its folder) is read-only for this process: only commands that read work.',
  },
  STORE_QUERY_FAILED: {
    httpStatus: 500,
    summary: 'A database statement failed; the message names the statement and the cause.',
  },
  MILL_CLOSED: { httpStatus: 503, summary: 'The taskmill instance or worker was closed.' },
  HANDLER_ERROR: {
    httpStatus: 500,
    summary: 'A handler threw an error without a code of its own (recorded on the attempt).',
  },
  TASK_TIMED_OUT: {
    httpStatus: 500,
    summary: 'An attempt passed its hard timeout and was aborted.',
  },
  TASK_CANCELLED: { httpStatus: 500, summary: 'An attempt was cancelled while it ran.' },
  WORKER_CRASHED: {
    httpStatus: 500,
    summary: 'The worker running the attempt died, too many times in a row for another try.',
  },
  EXECUTOR_CRASHED: {
    httpStatus: 500,
    summary:
      'The thread or process running the attempt died: an uncaught error, out of memory, process.exit or a signal (the message says which).',
  },
  WORKER_SHUTDOWN: {
    httpStatus: 500,
    summary: 'The attempt was given back when its worker shut down; it did not use up an attempt.',
  },
  TASKS_MODULE_INVALID: {
    httpStatus: 400,
    summary:
      'The tasks module could not be loaded, exports no task definitions, or opens a taskmill inside an executor pool.',
  },
  REQUEST_INVALID: {
    httpStatus: 400,
    summary: "An HTTP request's body, query or path does not match the route's schema.",
  },
  REQUEST_MALFORMED: { httpStatus: 400, summary: 'The request body is not valid JSON.' },
  REQUEST_TOO_LARGE: { httpStatus: 413, summary: 'The request body is over the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    summary:
      'A request that changes something (POST, PUT, PATCH, DELETE) is not sent as application/json.',
  },
  AUTH_REQUIRED: { httpStatus: 401, summary: 'The server needs an access token and got none.' },
  AUTH_INVALID: { httpStatus: 401, summary: 'The access token is not one the server knows.' },
  AUTH_FORBIDDEN: {
    httpStatus: 403,
    summary: "The access token's scopes do not reach this route.",
  },
  HOST_NOT_ALLOWED: {
    httpStatus: 421,
    summary: 'The Host header names a host the server does not answer for (DNS rebinding).',
  },
  ORIGIN_NOT_ALLOWED: {
    httpStatus: 403,
    summary: 'A request that changes something came from a web page of another site.',
  },
  REQUEST_TIMEOUT: {
    httpStatus: 408,
    summary: "The request's headers or body did not arrive within the server's time bound.",
  },
  REQUEST_HEADERS_TOO_LARGE: {
    httpStatus: 431,
    summary: "The request's headers are over the size limit.",
  },
  WORKER_ID_TAKEN: {
    httpStatus: 409,
    summary: 'A live execution unit (online or draining) holds the id a registration asked for.',
  },
  WORKER_SECRET_INVALID: {
    httpStatus: 403,
    summary:
      "A worker protocol call did not carry the secret that the worker's registration answered.",
  },
  ARTIFACT_NOT_FOUND: {
    httpStatus: 404,
    summary:
      'No artifact of that id belongs to the task, or its file is gone from the data folder.',
  },
  EVENT_STREAM_FULL: {
    httpStatus: 503,
    summary: 'The server already follows as many event-stream clients as it allows; retry later.',
  },
  ROUTE_NOT_FOUND: { httpStatus: 404, summary: 'No route has that method and path.' },
  INTERNAL_ERROR: {
    httpStatus: 500,
    summary: 'The server failed unexpectedly; the response carries a request id to find the log.',
  },
  CLI_INPUT_INVALID: {
    httpStatus: 400,
    summary: 'A command-line argument is malformed (bad JSON, bad number, unknown value).',
  },
  SERVER_UNREACHABLE: {
    httpStatus: 503,
    summary:
      'The client could not reach the taskmill server: no connection, a dropped one, or no answer in time.',
  },
  SERVER_RESPONSE_INVALID: {
    httpStatus: 502,
    summary:
      "The server's answer is not taskmill's API: not JSON, an unknown error code, or an artifact whose bytes do not match their digest.",
  },
} as const satisfies Record<string, { httpStatus: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
