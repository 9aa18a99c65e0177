import type { MessagePort } from 'node:worker_threads';
import type { TaskInfo } from '../../core/context.ts';
import type { LogLevel } from '../../core/task.ts';
import type { ArtifactFile } from '../artifact-file.ts';

/**
 * What crosses between a worker and the thread or process that runs a task for it. Code cannot
 * cross, so a job names the module that defines the task; the member imports it and finds the
 * definition by name.
 */
export interface MemberJob {
  module: string;
  type: string;
  /** Already parsed against the input schema by the worker. */
  input: unknown;
  task: TaskInfo;
  dataDir: string;
  /** Threads only: the worker's messages to the running task (abort). */
  port?: MessagePort;
}

/** Sent by the member while a job runs, in order. */
export type MemberEvent =
  | { t: 'start'; pid: number; threadId: number }
  | { t: 'progress'; percent: number; message: string | null }
  | { t: 'log'; level: LogLevel; message: string }
  | { t: 'metric'; name: string; value: number }
  | { t: 'artifact'; file: ArtifactFile }
  /** A process member's uncaught error, sent just before it exits. */
  | { t: 'crash'; error: CrossedError };

/** Sent to a running thread job over its port. */
export interface MemberCommand {
  t: 'abort';
}

/** An error thrown by a handler, as plain data. */
export interface CrossedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable?: boolean;
}

export interface MemberMemory {
  rssBytes: number;
  heapUsedBytes: number;
}

/** The job's end, as the member reports it; a member that dies reports nothing. */
export type MemberReply =
  | { ok: true; output: unknown; memory: MemberMemory }
  | { ok: false; error: CrossedError; memory: MemberMemory };

/** A process member aborts its running job on this signal: a process has no port to hear on. */
export const ABORT_SIGNAL = 'SIGUSR2';
