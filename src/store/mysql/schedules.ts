/** The schedule methods of the Store contract on MySQL/MariaDB. Writes run in one transaction; a
 * firing locks its schedule's row first (schedule-fire-lock.sql), so two schedulers firing one
 * schedule take turns, and the second finds the cursor moved. MySQL has no RETURNING: a write
 * reports what it did by its affected rows (matched rows for an UPDATE). */
import type { StoreParams } from '../contract.ts';
import type {
  ScheduleFireResult,
  ScheduleSaveResult,
  StoredSchedule,
} from '../schedule-contract.ts';
import { decideFire, type TickRow } from '../schedule-fire.ts';
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
import type { MyConnection, MySession } from './connection.ts';
import { insertTasks } from './insert.ts';
import { type MyForms, read } from './rows.ts';

const bit = (b: boolean) => (b ? 1 : 0);

/** schedule-insert.sql's parameters: the shared ones, with `now` for both times. */
function insertParams(x: StoredSchedule, now: number): unknown[] {
  const p = scheduleParams(x, now, bit);
  return [...p.slice(0, 15), now, ...p.slice(15)];
}

/** schedule-update.sql's parameters: the fields, then the cursor and next fire time as its
 * CASE reads them, then the name. */
function updateParams(x: StoredSchedule, now: number): unknown[] {
  const p = scheduleParams(x, now, bit);
  const [cursor, next] = [x.cursorAt, x.nextAt];
  return [...p.slice(1, 15), cursor, next, next, next, cursor, x.name];
}

async function saveAll(s: MySession, p: StoreParams<'scheduleSave'>): Promise<ScheduleSaveResult> {
  for (const x of p.create) {
    if ((await s.run('schedule-insert', insertParams(x, p.now))).affectedRows === 0) {
      throw new SaveRefused({ ok: false, reason: 'exists', name: x.name });
    }
  }
  for (const x of p.update) {
    if ((await s.run('schedule-update', updateParams(x, p.now))).affectedRows === 0) {
      throw new SaveRefused({ ok: false, reason: 'not_found', name: x.name });
    }
    if (!x.enabled) await s.run('schedule-tick-unwait', [x.name]);
  }
  return { ok: true };
}

export async function saveSchedules(
  conn: MyConnection,
  p: StoreParams<'scheduleSave'>,
): Promise<ScheduleSaveResult> {
  try {
    return await conn.transaction((s) => saveAll(s, p));
  } catch (e) {
    if (e instanceof SaveRefused) return e.result;
    throw e;
  }
}

export function deleteSchedule(conn: MyConnection, name: string): Promise<boolean> {
  return conn.transaction(async (s) => {
    await s.run('schedule-ticks-delete', [name]);
    return (await s.run('schedule-delete', [name])).affectedRows > 0;
  });
}

export async function pruneTicks(
  conn: MyConnection,
  before: number,
  limit: number,
): Promise<number> {
  const s = conn.direct;
  return (await s.run('schedule-tick-prune', [before, limit])).affectedRows;
}

type Row = ScheduleRowOf<MyForms>;

/** A list parameter given twice: `? IS NULL OR x IN (JSON_TABLE(?))`. */
function optionalList(names: string[] | undefined): [string | null, string | null] {
  const json = names === undefined ? null : JSON.stringify(names);
  return [json, json];
}

export async function listSchedules(
  conn: MyConnection,
  names?: string[],
): Promise<StoredSchedule[]> {
  const s = conn.direct;
  const rows = await s.all<Row>('schedule-list', optionalList(names));
  return rows.map((r) => scheduleFromRow(r, read));
}

export async function listDueSchedules(
  conn: MyConnection,
  now: number,
  limit: number,
): Promise<StoredSchedule[]> {
  const s = conn.direct;
  const rows = await s.all<Row>('schedule-due', [now, limit]);
  return rows.map((r) => scheduleFromRow(r, read));
}

type FireRow = FireStateRowOf<MyForms>;

/** The schedule's row, locked, and then (a statement of its own, which sees what the firing
 * that held the lock before committed) its newest task's status and its waiting tick. */
async function readFireState(s: MySession, name: string): Promise<FireRow | undefined> {
  const head = await s.get<Pick<FireRow, 'cursor_at' | 'enabled' | 'overlap'>>(
    'schedule-fire-lock',
    [name],
  );
  if (head === undefined) return undefined;
  const ticks = await s.get<Pick<FireRow, 'newest_status' | 'waiting_at'>>('schedule-fire-state', [
    name,
    name,
  ]);
  return {
    ...head,
    newest_status: ticks?.newest_status ?? null,
    waiting_at: ticks?.waiting_at ?? null,
  };
}

/** The ticks as schedule-tick-insert-many.sql reads them: NULLs left out. */
function tickJson(rows: readonly TickRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      fire_at: r.fireAt,
      manual: bit(r.manual),
      task_id: r.taskId ?? undefined,
      skipped: r.skipped ?? undefined,
      backfill: bit(r.backfill),
      waiting: bit(r.waiting),
    })),
  );
}

async function fire(s: MySession, p: StoreParams<'scheduleFire'>): Promise<ScheduleFireResult> {
  const state = await readFireState(s, p.name);
  const writes = decideFire(p, fireReadFromRow(state, read));
  if (writes.release !== null) {
    const { fireAt, task } = writes.release;
    const released = await s.run('schedule-tick-release', [task.id, p.name, fireAt]);
    if (released.affectedRows !== 1) throw new FireRefused('moved');
  }
  if (writes.rows.length > 0) {
    const inserted = await s.run('schedule-tick-insert-many', [
      p.name,
      p.now,
      tickJson(writes.rows),
    ]);
    if (inserted.affectedRows !== writes.rows.length) {
      throw new FireRefused(p.advance === null ? 'tick_exists' : 'moved');
    }
  }
  if (writes.tasks.length > 0) {
    const result = await insertTasks(s, p.now, writes.tasks);
    if (!result.ok) throw new Error(`A scheduled task was refused: ${result.reason}`);
  }
  if (p.advance !== null) {
    const { cursorTo, nextAt } = p.advance;
    await s.run('schedule-advance', [cursorTo, nextAt, cursorTo, p.name]);
  }
  return { ok: true, ticks: writes.outcomes };
}

export async function fireSchedule(
  conn: MyConnection,
  p: StoreParams<'scheduleFire'>,
): Promise<ScheduleFireResult> {
  try {
    return await conn.transaction((s) => fire(s, p));
  } catch (e) {
    if (e instanceof FireRefused) return e.result;
    throw e;
  }
}

export async function listTicks(conn: MyConnection, p: StoreParams<'scheduleTickList'>) {
  const s = conn.direct;
  const rows = await s.all<TickRunRowOf<MyForms>>('schedule-tick-list', [p.name, p.limit]);
  return rows.map((r) => runFromRow(r, read));
}

export async function listLinks(conn: MyConnection, taskIds: string[]) {
  const s = conn.direct;
  const rows = await s.all<LinkRowOf<MyForms>>('schedule-link-list', [JSON.stringify(taskIds)]);
  return rows.map((r) => linkFromRow(r, read));
}

export async function readScheduleStats(conn: MyConnection, names?: string[]) {
  const s = conn.direct;
  const rows = await s.all<StatsRow>('schedule-stats', optionalList(names));
  return rows.map(statsFromRow);
}

export async function readScheduleReport(conn: MyConnection, since: number) {
  const s = conn.direct;
  const rows = await s.all<ReportRow>('schedule-report', [since]);
  return rows.map(reportFromRow);
}
