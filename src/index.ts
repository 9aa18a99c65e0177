/** The public API of taskmill. */
export { type Clock, ManualClock, systemClock } from './core/clock.ts';
export type { TaskContext, TaskInfo, TaskLogger } from './core/context.ts';
export {
  type AnyTaskDefinition,
  defineTask,
  type ExecutorKind,
  type InputOf,
  type OutputOf,
  type TaskDefinition,
  type TaskDefinitionOptions,
  type TaskTimeout,
  taskJsonSchemas,
} from './core/define-task.ts';
export { ERROR_CODES, type ErrorCode } from './core/error-codes.ts';
export {
  ClosedError,
  type FieldIssue,
  IdempotencyConflictError,
  IllegalTransitionError,
  LeaseLostError,
  NonRetryableError,
  StoreError,
  TaskmillError,
  TaskNotFoundError,
  UnknownTaskTypeError,
  ValidationError,
} from './core/errors.ts';
export type { TaskmillEventName, TaskmillEvents } from './core/events.ts';
export { PRIORITIES, type Priority, type PriorityName } from './core/priority.ts';
export type { RetryContext, RetryPolicy } from './core/retry-policy.ts';
export { STATUSES, type TaskStatus, TERMINAL_STATUSES } from './core/status.ts';
export type {
  Artifact,
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  HistoryEntry,
  LogEntry,
  LogLevel,
  Task,
  TaskErrorInfo,
} from './core/task.ts';
export { VERSION } from './core/version.ts';
export { createTaskmill } from './mill/create-taskmill.ts';
export type {
  ListOptions,
  SubmitItem,
  SubmitOptions,
  Taskmill,
  TaskmillOptions,
  TaskmillStats,
  WorkerHandle,
} from './mill/types.ts';
export { startServer } from './server/lazy-start.ts';
export type { RunningServer, ServeOptions } from './server/serve.ts';
export type { QueueInfo, SortField, WorkerInfo } from './store/contract.ts';
export { currentTask } from './worker/current-task.ts';
export type { PoolSnapshot } from './worker/executors/member-pool.ts';
export type { ExecutorOptions, PoolOptions } from './worker/executors/options.ts';
export type { RetentionRule, WorkerOptions } from './worker/types.ts';
