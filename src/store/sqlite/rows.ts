/** Rows as SQLite returns them: JSON as text, booleans as 0/1, lists as JSON text. */
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

export interface SqliteForms {
  json: string;
  bool: number;
  list: string;
}

export const read: ColumnReader<SqliteForms> = {
  json: <T>(text: string | null) => (text === null ? null : (JSON.parse(text) as T)),
  bool: (value) => value !== 0,
  list: (text) => (text === null ? null : (JSON.parse(text) as string[])),
};

export type TaskRow = TaskRowOf<SqliteForms>;
export type ExecutionRow = ExecutionRowOf<SqliteForms>;
export type WorkerRow = WorkerRowOf<SqliteForms>;
export type ExpiredRow = ExpiredRowOf<SqliteForms>;

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
