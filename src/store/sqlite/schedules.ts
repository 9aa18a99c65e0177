/** The schedule methods of the Store contract on SQLite; each write runs in the caller's write
 * transaction (`SqliteConnection.write`), which holds the database's one write lock. */
import type { StoreParams } from '../contract.ts';
import type {
  ScheduleFireResult,
  ScheduleSaveResult,
  StoredSchedule,
} from '../schedule-contract.ts';
import { decideFire } from '../schedule-fire.ts';
import { FireRefused, SaveRefused } from '../schedule-refusals.ts';
import {
  type FireStateRowOf,
  fireReadFromRow,
  type LinkRowOf,
  linkFromRow,
  type ReportRow,
  reportFromRow,
  runFromRow,
  type ScheduleRowOf,
  type StatsRow,
  scheduleFromRow,
  scheduleParams,
  statsFromRow,
  type TickRunRowOf,
} from '../schedule-rows.ts';
import type { SqliteConnection } from './connection.ts';
import { insertTasks } from './insert.ts';
import { read, type SqliteForms } from './rows.ts';

const bit = (b: boolean) => (b ? 1 : 0);
const names = (list: string[] | undefined) => (list === undefined ? null : JSON.stringify(list));

function saveAll(conn: SqliteConnection, p: StoreParams<'scheduleSave'>): ScheduleSaveResult {
  for (const s of p.create) {
    const params = scheduleParams(s, p.now, bit) as (string | number | null)[];
    if (conn.run('schedule-insert', ...params).changes === 0) {
      throw new SaveRefused({ ok: false, reason: 'exists', name: s.name });
    }
  }
  for (const s of p.update) {
    const params = scheduleParams(s, p.now, bit) as (string | number | null)[];
    if (conn.run('schedule-update', ...params).changes === 0) {
      throw new SaveRefused({ ok: false, reason: 'not_found', name: s.name });
    }
    if (!s.enabled) conn.run('schedule-tick-unwait', s.name);
  }
  return { ok: true };
}

export async function saveSchedules(
  conn: SqliteConnection,
  p: StoreParams<'scheduleSave'>,
): Promise<ScheduleSaveResult> {
  try {
    return await conn.write(() => saveAll(conn, p));
  } catch (e) {
    if (e instanceof SaveRefused) return e.result;
    throw e;
  }
}

export function deleteSchedule(conn: SqliteConnection, name: string): Promise<boolean> {
  return conn.write(() => {
    conn.run('schedule-ticks-delete', name);
    return conn.run('schedule-delete', name).changes > 0;
  });
}

type Row = ScheduleRowOf<SqliteForms>;

export function listSchedules(conn: SqliteConnection, list?: string[]): Promise<StoredSchedule[]> {
  return conn.read(() =>
    conn.all<Row>('schedule-list', names(list)).map((r) => scheduleFromRow(r, read)),
  );
}

export function listDueSchedules(
  conn: SqliteConnection,
  now: number,
  limit: number,
): Promise<StoredSchedule[]> {
  return conn.read(() =>
    conn.all<Row>('schedule-due', now, limit).map((r) => scheduleFromRow(r, read)),
  );
}

function fire(conn: SqliteConnection, p: StoreParams<'scheduleFire'>): ScheduleFireResult {
  const state = conn.get<FireStateRowOf<SqliteForms>>('schedule-fire-state', p.name);
  const writes = decideFire(p, fireReadFromRow(state, read));
  if (writes.release !== null) {
    const { fireAt, task } = writes.release;
    if (conn.run('schedule-tick-release', p.name, fireAt, task.id).changes !== 1) {
      throw new FireRefused('moved');
    }
  }
  for (const r of writes.rows) {
    const { changes } = conn.run(
      'schedule-tick-insert-many',
      p.name,
      r.fireAt,
      bit(r.manual),
      r.taskId,
      r.skipped,
      bit(r.backfill),
      bit(r.waiting),
      p.now,
    );
    if (changes !== 1) throw new FireRefused(p.advance === null ? 'tick_exists' : 'moved');
  }
  if (writes.tasks.length > 0) {
    const inserted = insertTasks(conn, p.now, writes.tasks);
    if (!inserted.ok) throw new Error(`A scheduled task was refused: ${inserted.reason}`);
  }
  if (p.advance !== null) {
    conn.run('schedule-advance', p.name, p.advance.cursorTo, p.advance.nextAt);
  }
  return { ok: true, ticks: writes.outcomes };
}

export async function fireSchedule(
  conn: SqliteConnection,
  p: StoreParams<'scheduleFire'>,
): Promise<ScheduleFireResult> {
  try {
    return await conn.write(() => fire(conn, p));
  } catch (e) {
    if (e instanceof FireRefused) return e.result;
    throw e;
  }
}

export function listTicks(conn: SqliteConnection, p: StoreParams<'scheduleTickList'>) {
  return conn.read(() =>
    conn
      .all<TickRunRowOf<SqliteForms>>('schedule-tick-list', p.name, p.limit)
      .map((r) => runFromRow(r, read)),
  );
}

export function listLinks(conn: SqliteConnection, taskIds: string[]) {
  return conn.read(() =>
    conn
      .all<LinkRowOf<SqliteForms>>('schedule-link-list', JSON.stringify(taskIds))
      .map((r) => linkFromRow(r, read)),
  );
}

export function readScheduleStats(conn: SqliteConnection, list?: string[]) {
  return conn.read(() => conn.all<StatsRow>('schedule-stats', names(list)).map(statsFromRow));
}

export function readScheduleReport(conn: SqliteConnection, since: number) {
  return conn.read(() => conn.all<ReportRow>('schedule-report', since).map(reportFromRow));
}
