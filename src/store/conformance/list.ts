import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../core/priority.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import { SORT_FIELDS, type SortField, type TaskFilter } from '../../core/task-filter.ts';
import type { Store } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  errorOf,
  idsOf,
  insertAll,
  insertTask,
  isTaskmillError,
  mustGet,
  newTask,
  SECOND,
  sorted,
  T0,
} from './factories.ts';

const STATUS_CYCLE: readonly TaskStatus[] = [
  'completed',
  'queued',
  'failed',
  'running',
  'queued',
  'paused',
  'completed',
  'cancelled',
  'retrying',
  'queued',
  'timed_out',
  'pending',
];
const CLAIMED: readonly TaskStatus[] = ['completed', 'failed', 'timed_out', 'running', 'retrying'];

interface Seeded {
  id: string;
  status: TaskStatus;
  type: string;
  queue: string;
}

/**
 * 25 tasks over every status, three types, two queues and four priorities, with ties in every
 * sort field but createdAt, so the pagination tests see how an adapter breaks ties.
 */
async function seed(store: Store): Promise<Seeded[]> {
  const specs = Array.from({ length: 25 }, (_, i) => ({
    status: STATUS_CYCLE[i % STATUS_CYCLE.length] ?? 'queued',
    type: ['a', 'b', 'c'][i % 3] ?? 'a',
    queue: i % 2 === 0 ? 'q1' : 'q2',
    priority: i % 4,
    createdAt: T0 + ((i * 7) % 25) * SECOND,
    runAt: T0 + ((i * 11) % 5) * SECOND,
    settleAt: T0 + 100 * SECOND + (i % 3) * SECOND,
  }));
  // Claimed tasks go first, one at a time, so the factory's claim finds no other ready task.
  const ordered = [
    ...specs.filter((s) => CLAIMED.includes(s.status)),
    ...specs.filter((s) => !CLAIMED.includes(s.status)),
  ];
  const seeded: Seeded[] = [];
  for (const s of ordered) {
    const { id } = await insertTask(store, {
      status: s.status,
      now: s.createdAt,
      settleAt: s.settleAt,
      task: { type: s.type, queue: s.queue, priority: s.priority, runAt: s.runAt },
    });
    seeded.push({ id, status: s.status, type: s.type, queue: s.queue });
  }
  return seeded;
}

function sortKey(task: Task, field: SortField): number | null {
  switch (field) {
    case 'createdAt':
      return task.createdAt.getTime();
    case 'updatedAt':
      return task.updatedAt.getTime();
    case 'runAt':
      return task.runAt.getTime();
    case 'priority':
      return PRIORITIES.indexOf(task.priority);
    case 'finishedAt':
      return task.finishedAt === null ? null : task.finishedAt.getTime();
  }
}

/** Ordered by `field`; where the field is null the tasks sit together at one end. */
function expectOrdered(tasks: Task[], field: SortField, order: 'asc' | 'desc'): void {
  const keys = tasks.map((t) => sortKey(t, field));
  const present = keys.filter((k): k is number => k !== null);
  const expected = [...present].sort((x, y) => (order === 'asc' ? x - y : y - x));
  expect(present).toEqual(expected);
  const firstNull = keys.indexOf(null);
  if (firstNull >= 0) {
    const lastNull = keys.lastIndexOf(null);
    expect(lastNull - firstNull + 1).toBe(keys.length - present.length);
    expect(firstNull === 0 || lastNull === keys.length - 1).toBe(true);
  }
}

async function walk(
  store: Store,
  p: { filter: TaskFilter; sort: SortField; order: 'asc' | 'desc'; limit: number },
): Promise<{ pages: Task[][]; cursors: (string | null)[] }> {
  const pages: Task[][] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const page: { tasks: Task[]; nextCursor: string | null } = await store.taskList({
      ...p,
      cursor,
    });
    pages.push(page.tasks);
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 100);
  return { pages, cursors };
}

export function listTests(ctx: ConformanceContext): void {
  describe('taskList pagination and sort', () => {
    for (const sort of SORT_FIELDS) {
      for (const order of ['asc', 'desc'] as const) {
        it(`walks every task exactly once by ${sort} ${order}`, async () => {
          const seeded = await seed(ctx.store);
          const { pages, cursors } = await walk(ctx.store, { filter: {}, sort, order, limit: 10 });

          expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
          expect(cursors.map((c) => c === null)).toEqual([false, false, true]);
          const walked = pages.flat();
          expect(new Set(idsOf(walked)).size).toBe(25);
          expect(sorted(idsOf(walked))).toEqual(sorted(idsOf(seeded)));
          expectOrdered(walked, sort, order);

          const whole = await ctx.store.taskList({ filter: {}, sort, order, limit: 100 });
          expect(whole.nextCursor).toBeNull();
          expect(idsOf(whole.tasks)).toEqual(idsOf(walked));
        });
      }
    }

    it('returns an empty page with no cursor when nothing matches', async () => {
      await seed(ctx.store);
      const result = await ctx.store.taskList({
        filter: { type: ['no-such-type'] },
        sort: 'createdAt',
        order: 'asc',
        limit: 10,
      });
      expect(result).toEqual({ tasks: [], nextCursor: null });
    });

    it('rejects a forged cursor with CURSOR_INVALID', async () => {
      await seed(ctx.store);
      const forged = [
        'not-a-cursor',
        Buffer.from('{"nope":true}').toString('base64url'),
        Buffer.from('[1,2,3]').toString('base64'),
      ];
      for (const cursor of forged) {
        const error = await errorOf(() =>
          ctx.store.taskList({ filter: {}, sort: 'createdAt', order: 'asc', limit: 10, cursor }),
        );
        expect(isTaskmillError(error, 'CURSOR_INVALID'), `cursor ${cursor}`).toBe(true);
      }
    });
  });

  describe('taskList filters', () => {
    const cases: { name: string; filter: TaskFilter; match: (s: Seeded) => boolean }[] = [
      {
        name: 'status',
        filter: { status: ['queued', 'paused'] },
        match: (s) => s.status === 'queued' || s.status === 'paused',
      },
      { name: 'type', filter: { type: ['a', 'c'] }, match: (s) => s.type !== 'b' },
      { name: 'queue', filter: { queue: ['q2'] }, match: (s) => s.queue === 'q2' },
      {
        name: 'status, type and queue together',
        filter: { status: ['completed', 'queued', 'failed'], type: ['a', 'b'], queue: ['q1'] },
        match: (s) =>
          ['completed', 'queued', 'failed'].includes(s.status) &&
          s.type !== 'c' &&
          s.queue === 'q1',
      },
    ];

    for (const c of cases) {
      it(`filters by ${c.name}, across pages`, async () => {
        const seeded = await seed(ctx.store);
        const expected = sorted(idsOf(seeded.filter(c.match)));
        expect(expected.length).toBeGreaterThan(0);
        const { pages } = await walk(ctx.store, {
          filter: c.filter,
          sort: 'createdAt',
          order: 'desc',
          limit: 3,
        });
        const walked = idsOf(pages.flat());
        expect(new Set(walked).size).toBe(walked.length);
        expect(sorted(walked)).toEqual(expected);
      });
    }
  });

  describe('taskList search and time range', () => {
    const all = { sort: 'createdAt' as const, order: 'asc' as const, limit: 100 };

    it('finds text in the id, type, input or error, case-insensitively', async () => {
      const mail = newTask({ type: 'mail.send', input: { to: 'Grace@Hopper.example' } });
      const resize = newTask({ type: 'image.resize', input: { url: 'https://cdn.test/cat.png' } });
      await insertAll(ctx.store, [mail, resize]);
      const failed = await insertTask(ctx.store, { status: 'failed' });
      const message = (await mustGet(ctx.store, failed.id)).error?.message ?? '';
      expect(message.length).toBeGreaterThan(4);
      const find = async (search: string) =>
        idsOf((await ctx.store.taskList({ ...all, filter: { search } })).tasks);
      expect(await find('grace@HOPPER')).toEqual([mail.id]);
      expect(await find('IMAGE.RES')).toEqual([resize.id]);
      expect(await find(resize.id.slice(-12))).toEqual([resize.id]);
      expect(await find(message.slice(1, -1).toUpperCase())).toEqual([failed.id]);
      // A literal: LIKE's wildcards match only themselves ('mail.send' is no match).
      expect(await find('mail%send')).toEqual([]);
      expect(await find('mail_send')).toEqual([]);
    });

    it('folds case beyond ASCII, the same way on both stores', async () => {
      const munich = newTask({ input: { city: 'MÜNCHEN' } });
      const athens = newTask({ input: { city: 'ΑΘΉΝΑ' } });
      const moscow = newTask({ input: { city: 'Москва' } });
      const zurich = newTask({ input: { city: 'zürich' } });
      await insertAll(ctx.store, [munich, athens, moscow, zurich]);
      const find = async (search: string) =>
        idsOf((await ctx.store.taskList({ ...all, filter: { search } })).tasks);
      for (const search of ['MÜNCHEN', 'münchen', 'München', 'ÜNCH', 'ünch']) {
        expect(await find(search), search).toEqual([munich.id]);
      }
      for (const search of ['ΑΘΉΝΑ', 'αθήνα', 'Αθήνα', 'ΘΉΝ']) {
        expect(await find(search), search).toEqual([athens.id]);
      }
      for (const search of ['МОСКВА', 'москва', 'Москва', 'оскв']) {
        expect(await find(search), search).toEqual([moscow.id]);
      }
      expect(await find('ZÜRICH')).toEqual([zurich.id]);
      // Folding is not accent-stripping: u is not ü.
      expect(await find('munchen')).toEqual([]);
    });

    it('keeps tasks created in [from, to)', async () => {
      const early = newTask();
      const middle = newTask();
      const late = newTask();
      await insertAll(ctx.store, [early], T0);
      await insertAll(ctx.store, [middle], T0 + SECOND);
      await insertAll(ctx.store, [late], T0 + 2 * SECOND);
      const page = await ctx.store.taskList({
        ...all,
        filter: { createdFrom: T0 + SECOND, createdTo: T0 + 2 * SECOND },
      });
      expect(idsOf(page.tasks)).toEqual([middle.id]);
    });
  });
}
