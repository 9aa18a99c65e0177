/**
 * Rows both adapters read the same way (the columns hold plain numbers and text in both), mapped
 * to the records of `src/core/task.ts`. Adapter-specific rows (tasks, executions, workers: JSON
 * and booleans differ by driver) stay in each adapter's `rows.ts`.
 */

import type { TaskStatus } from '../core/status.ts';
import type { Artifact, HistoryEntry, LogEntry, LogLevel } from '../core/task.ts';

export interface HistoryRow {
  id: number;
  task_id: string;
  from_status: TaskStatus | null;
  to_status: TaskStatus;
  at: number;
  reason: string | null;
  worker_id: string | null;
}

export function toHistory(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    taskId: r.task_id,
    from: r.from_status,
    to: r.to_status,
    at: new Date(r.at),
    reason: r.reason,
    workerId: r.worker_id,
  };
}

export interface LogRow {
  id: number;
  task_id: string;
  attempt: number;
  level: LogLevel;
  message: string;
  at: number;
}

export function toLog(r: LogRow): LogEntry {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    level: r.level,
    message: r.message,
    at: new Date(r.at),
  };
}

export interface ArtifactRow {
  id: string;
  task_id: string;
  attempt: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  created_at: number;
}

export function toArtifact(r: ArtifactRow): Artifact {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    createdAt: new Date(r.created_at),
  };
}
