/**
 * Rows as `mysql2` returns them from this schema (connection.ts): BIGINT as numbers, JSON as text
 * (MySQL's JSON type and MariaDB's LONGTEXT alike, parsed here), BOOLEAN as 0/1, lists as JSON
 * text.
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

export interface MyForms {
  json: string;
  bool: number;
  list: string;
}

export const read: ColumnReader<MyForms> = {
  // A JSON null and SQL NULL read alike.
  json: <T>(text: string | null) => (text === null ? null : (JSON.parse(text) as T | null)),
  bool: (value) => Number(value) !== 0,
  list: (text) => (text === null ? null : (JSON.parse(text) as string[])),
};

/** JSON text for a column, SQL NULL for JSON null (as the other adapters store it). */
export function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export type TaskRow = TaskRowOf<MyForms>;
export type ExecutionRow = ExecutionRowOf<MyForms>;
export type WorkerRow = WorkerRowOf<MyForms>;
export type ExpiredRow = ExpiredRowOf<MyForms>;

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
