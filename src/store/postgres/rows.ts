/**
 * Rows as `pg` returns them from this schema: bigint as numbers, jsonb parsed, booleans and text
 * arrays native.
 */
import {
  type ColumnReader,
  type ExecutionRowOf,
  type ExpiredRowOf,
  executionFromRow,
  expiredLeaseFromRow,
  type TaskRowOf,
  taskFromRow,
  type WorkerRowOf,
  workerFromRow,
} from '../driver-rows.ts';

export interface PgForms {
  json: unknown;
  bool: boolean;
  list: string[];
}

export const read: ColumnReader<PgForms> = {
  // A JSON null in a jsonb column and SQL NULL read alike.
  json: <T>(value: unknown) => (value ?? null) as T | null,
  bool: (value) => value,
  list: (value) => value,
};

export type TaskRow = TaskRowOf<PgForms>;
export type ExecutionRow = ExecutionRowOf<PgForms>;
export type WorkerRow = WorkerRowOf<PgForms>;
export type ExpiredRow = ExpiredRowOf<PgForms>;

export const toTask = (r: TaskRow) => taskFromRow(r, read);
export const toExecution = (r: ExecutionRow) => executionFromRow(r, read);
export const toExpiredLease = (r: ExpiredRow) => expiredLeaseFromRow(r, read);
export const toWorker = (r: WorkerRow, now: number, offlineAfterMs: number) =>
  workerFromRow(r, read, now, offlineAfterMs);

export {
  type ArtifactRow,
  type HistoryRow,
  type LogRow,
  toArtifact,
  toHistory,
  toLog,
} from '../rows.ts';
