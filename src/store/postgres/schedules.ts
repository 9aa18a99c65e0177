/** The schedule methods of the Store contract on PostgreSQL. Writes run in one transaction; a
 * firing locks its schedule's row first (schedule-fire-state.sql), so two schedulers firing one
 * schedule take turns, and the second finds the cursor moved. */
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
import type { PgConnection, PgSession } from './connection.ts';
import { insertTasks } from './insert.ts';
import { type PgForms, read } from './rows.ts';

const same = (b: boolean) => b;

async function saveAll(s: PgSession, p: StoreParams<'scheduleSave'>): Promise<ScheduleSaveResult> {
  for (const x of p.create) {
    if ((await s.all('schedule-insert', scheduleParams(x, p.now, same))).length === 0) {
      throw new SaveRefused({ ok: false, reason: 'exists', name: x.name });
    }
  }
  for (const x of p.update) {
    if ((await s.all('schedule-update', scheduleParams(x, p.now, same))).length === 0) {
      throw new SaveRefused({ ok: false, reason: 'not_found', name: x.name });
    }
    if (!x.enabled) await s.all('schedule-tick-unwait', [x.name]);
  }
  return { ok: true };
}

export async function saveSchedules(
  conn: PgConnection,
  p: StoreParams<'scheduleSave'>,
): Promise<ScheduleSaveResult> {
  try {
    return await conn.transaction((s) => saveAll(s, p));
  } catch (e) {
    if (e instanceof SaveRefused) return e.result;
    throw e;
  }
}

export function deleteSchedule(conn: PgConnection, name: string): Promise<boolean> {
  return conn.transaction(async (s) => {
    await s.all('schedule-ticks-delete', [name]);
    return (await s.all('schedule-delete', [name])).length > 0;
  });
}

type Row = ScheduleRowOf<PgForms>;

export async function listSchedules(
  conn: PgConnection,
  names?: string[],
): Promise<StoredSchedule[]> {
  const s = conn.session();
  const rows = await s.all<Row>('schedule-list', [names ?? null]);
  return rows.map((r) => scheduleFromRow(r, read));
}

export async function listDueSchedules(
  conn: PgConnection,
  now: number,
  limit: number,
): Promise<StoredSchedule[]> {
  const s = conn.session();
  return (await s.all<Row>('schedule-due', [now, limit])).map((r) => scheduleFromRow(r, read));
}

async function fire(s: PgSession, p: StoreParams<'scheduleFire'>): Promise<ScheduleFireResult> {
  const state = await s.get<FireStateRowOf<PgForms>>('schedule-fire-state', [p.name]);
  const writes = decideFire(p, fireReadFromRow(state, read));
  if (writes.release !== null) {
    const { fireAt, task } = writes.release;
    const released = await s.all('schedule-tick-release', [p.name, fireAt, task.id]);
    if (released.length !== 1) throw new FireRefused('moved');
  }
  if (writes.rows.length > 0) {
    const rows = writes.rows;
    const inserted = await s.all('schedule-tick-insert-many', [
      p.name,
      rows.map((r) => r.fireAt),
      rows.map((r) => r.manual),
      rows.map((r) => r.taskId),
      rows.map((r) => r.skipped),
      rows.map((r) => r.backfill),
      rows.map((r) => r.waiting),
      p.now,
    ]);
    if (inserted.length !== rows.length) {
      throw new FireRefused(p.advance === null ? 'tick_exists' : 'moved');
    }
  }
  if (writes.tasks.length > 0) {
    const result = await insertTasks(s, p.now, writes.tasks);
    if (!result.ok) throw new Error(`A scheduled task was refused: ${result.reason}`);
  }
  if (p.advance !== null) {
    await s.all('schedule-advance', [p.name, p.advance.cursorTo, p.advance.nextAt]);
  }
  return { ok: true, ticks: writes.outcomes };
}

export async function fireSchedule(
  conn: PgConnection,
  p: StoreParams<'scheduleFire'>,
): Promise<ScheduleFireResult> {
  try {
    return await conn.transaction((s) => fire(s, p));
  } catch (e) {
    if (e instanceof FireRefused) return e.result;
    throw e;
  }
}

export async function listTicks(conn: PgConnection, p: StoreParams<'scheduleTickList'>) {
  const s = conn.session();
  const rows = await s.all<TickRunRowOf<PgForms>>('schedule-tick-list', [p.name, p.limit]);
  return rows.map((r) => runFromRow(r, read));
}

export async function listLinks(conn: PgConnection, taskIds: string[]) {
  const s = conn.session();
  const rows = await s.all<LinkRowOf<PgForms>>('schedule-link-list', [taskIds]);
  return rows.map((r) => linkFromRow(r, read));
}

export async function readScheduleStats(conn: PgConnection, names?: string[]) {
  const s = conn.session();
  return (await s.all<StatsRow>('schedule-stats', [names ?? null])).map(statsFromRow);
}

export async function readScheduleReport(conn: PgConnection, since: number) {
  const s = conn.session();
  return (await s.all<ReportRow>('schedule-report', [since])).map(reportFromRow);
}
