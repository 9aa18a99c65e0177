/** The public API of taskmill. */
// First, so that it runs before any other module of the library (see the file).
import './core/supported-node.ts';

export { createClient } from './client/client.ts';
export { STREAMED_KINDS } from './client/event-stream.ts';
export type {
  AccessInfo,
  CancelManyFilter,
  ClientOptions,
  ClientPipelineOperations,
  ClientSubmitItem,
  ClientSubmitOptions,
  DownloadedArtifact,
  EventsOptions,
  GapEvent,
  HealthReport,
  RemoteArtifact,
  RemoteQueue,
  RemoteTask,
  RemoteWorker,
  RetryManyFilter,
  ServerEvent,
  StreamedKind,
  TaskmillClient,
  TaskPage,
  TaskTypeInfo,
  WaitOptions,
} from './client/types.ts';
export type {
  BulkChanges,
  CancellableStatus,
  CancelManyResult,
  RetryManyResult,
} from './core/bulk-filter.ts';
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
  WorkerNotFoundError,
} from './core/errors.ts';
export type { TaskmillEventName, TaskmillEvents } from './core/events.ts';
export type {
  QueueOperations,
  Reports,
  SharedOperations,
  TaskChanges,
  TaskReads,
} from './core/operations.ts';
export {
  type ListRunsOptions,
  type PipelineBatch,
  type PipelineGraphNode,
  type PipelineInfo,
  type PipelineRun,
  type PipelineRunGraph,
  type PipelineRunOperations,
  type PipelineRunStatus,
  type PipelineStepStatus,
  type Progress,
  RUN_STATUSES,
} from './core/pipeline-run.ts';
export { PRIORITIES, type Priority, type PriorityName } from './core/priority.ts';
export type { QueueInfo } from './core/queue.ts';
export type { RetryContext, RetryPolicy } from './core/retry-policy.ts';
export {
  CATCH_UP_POLICIES,
  type CatchUpPolicy,
  OVERLAP_POLICIES,
  type OverlapPolicy,
  type Schedule,
  type ScheduleApplyResult,
  type ScheduleDayReport,
  type ScheduleDefinition,
  type ScheduleLink,
  type ScheduleOperations,
  type ScheduleRun,
  type ScheduleStats,
  SKIP_REASONS,
  type SkipReason,
} from './core/schedule.ts';
export type { StatsDurations, StatsGroup, StatsHour, TaskmillStats } from './core/stats-report.ts';
export { STATUSES, type TaskStatus, TERMINAL_STATUSES } from './core/status.ts';
export type {
  Artifact,
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  HistoryEntry,
  LogEntry,
  LogLevel,
  PipelineLink,
  Task,
  TaskErrorInfo,
} from './core/task.ts';
export type { ListOptions, SortField } from './core/task-filter.ts';
export { VERSION } from './core/version.ts';
export type { WorkerInfo } from './core/worker-info.ts';
export { createTaskmill } from './mill/create-taskmill.ts';
export type { PipelineOperations } from './mill/pipelines-api.ts';
export type { PurgeableStatus, PurgeOptions } from './mill/purge.ts';
export type {
  SchedulerHandle,
  SchedulerSettings,
  SubmitItem,
  SubmitOptions,
  Taskmill,
  TaskmillOptions,
  WorkerHandle,
} from './mill/types.ts';
export {
  definePipeline,
  type PipelineDefinition,
  type PipelineOptions,
} from './pipeline/define-pipeline.ts';
export { pipelineGraphJson } from './pipeline/pipeline-graph-json.ts';
export type {
  FailurePolicy,
  MapItemContext,
  PipelineHooks,
  PipelineMode,
  StepContext,
  StepHookEvent,
  StepOptions,
} from './pipeline/pipeline-types.ts';
export type { SchedulerPass } from './scheduler/scheduler.ts';
export { startServer } from './server/lazy-start.ts';
export type { RunningServer, ServeOptions } from './server/serve.ts';
export { currentTask } from './worker/current-task.ts';
export type { PoolSnapshot } from './worker/executors/member-pool.ts';
export type { ExecutorOptions, PoolOptions } from './worker/executors/options.ts';
export type * from './worker/remote/protocol.ts';
export {
  PUSH_SIGNATURE_HEADER,
  type PushCheck,
  type VerifyPushParams,
  verifyPush,
} from './worker/remote/push-signature.ts';
export type { RemoteWorkers, RemoteWorkersOptions } from './worker/remote/remote-workers.ts';
export type { RetentionRule, WorkerOptions } from './worker/types.ts';
