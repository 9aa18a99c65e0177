import type { SkipReason } from './schedule.ts';
import type { TaskStatus } from './status.ts';
import type { LogLevel } from './task.ts';

/** Every event the bus carries, by name. */
export interface TaskmillEvents {
  /** A task changed status (every transition, the first one included). */
  'task.status': {
    taskId: string;
    type: string;
    queue: string;
    from: TaskStatus | null;
    to: TaskStatus;
    at: Date;
    reason: string | null;
    workerId: string | null;
    /** When an attempt ended in this process: how long its handler ran. */
    durationMs?: number;
  };
  'task.progress': {
    taskId: string;
    type: string;
    percent: number;
    message: string | null;
    at: Date;
  };
  'task.log': {
    taskId: string;
    type: string;
    attempt: number;
    level: LogLevel;
    message: string;
    at: Date;
  };
  /** A running task passed its soft timeout; it goes on running. */
  'task.soft_timeout': { taskId: string; type: string; attempt: number; softMs: number; at: Date };
  /** A worker's write was refused because it no longer holds the lease. */
  'lease.lost': {
    taskId: string;
    /** Null when the server refused a remote worker, which tells it only the task's id. */
    type: string | null;
    workerId: string;
    what: string;
  };
  /** Running tasks whose lease expired were recovered (re-queued or failed). */
  'lease.reaped': { taskIds: string[]; workerId: string };
  'worker.started': { workerId: string; concurrency: number };
  'worker.stopped': { workerId: string };
  /** One claim statement returned tasks. */
  /** `ms`: how long the claim's round trip to the store took. */
  'claim.batch': { workerId: string; count: number; ms: number };
  /** Finished tasks were deleted by retention. */
  'retention.purged': { count: number };
  /** A worker's calls to the database started failing (reported once per outage). */
  'database.unavailable': { error: unknown; at: Date };
  /** The database answers again after an outage: told once the worker's calls kept succeeding
   * for a second (one outage, one report), `at` the first of them. */
  'database.recovered': { downMs: number; at: Date };
  /** A schedule's tick made its task (`manual`: run now; `backfill`: a missed tick fired late by
   * the catch-up policy). Emitted by the process whose scheduler fired it. */
  'schedule.fired': {
    schedule: string;
    scheduledAt: Date;
    taskId: string;
    backfill: boolean;
    manual: boolean;
  };
  /** A schedule's tick made no task: the previous run had not finished (`overlap`), or it was
   * missed while no scheduler ran and the catch-up policy dropped it (`catch_up`). */
  'schedule.skipped': { schedule: string; scheduledAt: Date; reason: SkipReason };
  /** A pipeline run started (one event per run of a `runMany`). */
  'pipeline.run.started': { runId: string; pipeline: string; at: Date };
  /** A step's task started its handler (a map step: each item). Emitted by its worker. */
  'pipeline.step.started': PipelineStepEvent;
  /** A step's task ended an attempt, was skipped, hit the cache, or (`pending`) a map step fanned
   * out into its items. Emitted by its worker. */
  'pipeline.step.ended': PipelineStepEvent & { status: TaskStatus; durationMs: number };
  /** A run's last task ended. Emitted once, by the process whose change ended it. */
  'pipeline.run.ended': {
    runId: string;
    pipeline: string;
    status: 'completed' | 'failed' | 'cancelled';
    at: Date;
  };
  /** A listener threw; the bus caught it and went on. */
  'listener.error': { event: string; error: unknown };
}

export type TaskmillEventName = keyof TaskmillEvents;

/** Which run and step a step event is about. */
export interface PipelineStepEvent {
  runId: string;
  pipeline: string;
  step: string;
  /** A map step's item, or null for the step's own task. */
  item: number | null;
  taskId: string;
  at: Date;
}

/** The events the HTTP API streams to its clients (`/api/v1/events`). */
export const STREAMED_EVENTS = [
  'task.status',
  'task.progress',
  'task.log',
  'task.soft_timeout',
  'worker.started',
  'worker.stopped',
  'schedule.fired',
  'schedule.skipped',
  'pipeline.run.started',
  'pipeline.step.started',
  'pipeline.step.ended',
  'pipeline.run.ended',
] as const satisfies readonly TaskmillEventName[];
export type StreamedEvent = (typeof STREAMED_EVENTS)[number];
