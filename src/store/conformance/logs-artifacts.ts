import { describe, expect, it } from 'vitest';
import type { Artifact, LogLevel } from '../../core/task.ts';
import type { ConformanceContext } from './context.ts';
import { insertTask, mustGet, nth, SECOND, T0, TYPE } from './factories.ts';

export function logsArtifactsTests(ctx: ConformanceContext): void {
  async function running(type = TYPE) {
    const inserted = await insertTask(ctx.store, { status: 'running', task: { type } });
    if (inserted.claim === null) throw new Error('the factory returned no claim');
    return { id: inserted.id, token: inserted.claim.leaseToken };
  }

  describe('taskSetProgress', () => {
    it('stores percent and message for a current lease', async () => {
      const a = await running('a');
      const b = await running('b');
      const result = await ctx.store.taskSetProgress({
        now: T0 + SECOND,
        items: [
          { id: a.id, token: a.token, percent: 40, message: 'resizing 4 of 10' },
          { id: b.id, token: b.token, percent: 100, message: null },
        ],
      });
      expect(result).toEqual({ lost: [] });
      expect(await mustGet(ctx.store, a.id)).toMatchObject({
        progress: 40,
        progressMessage: 'resizing 4 of 10',
      });
      expect(await mustGet(ctx.store, b.id)).toMatchObject({
        progress: 100,
        progressMessage: null,
      });
    });

    it('keeps the latest report', async () => {
      const a = await running();
      for (const [i, percent] of [10, 55].entries()) {
        await ctx.store.taskSetProgress({
          now: T0 + (i + 1) * SECOND,
          items: [{ id: a.id, token: a.token, percent, message: `${percent}%` }],
        });
      }
      expect(await mustGet(ctx.store, a.id)).toMatchObject({
        progress: 55,
        progressMessage: '55%',
      });
    });

    it('reports a stale token as lost and stores nothing', async () => {
      const a = await running();
      const result = await ctx.store.taskSetProgress({
        now: T0 + SECOND,
        items: [{ id: a.id, token: 'stale', percent: 80, message: 'forged' }],
      });
      expect(result).toEqual({ lost: [a.id] });
      expect(await mustGet(ctx.store, a.id)).toMatchObject({
        progress: null,
        progressMessage: null,
      });
    });
  });

  describe('logInsert and logList', () => {
    const entry = (t: { id: string; token: string }, level: LogLevel, message: string) => ({
      taskId: t.id,
      token: t.token,
      attempt: 1,
      level,
      message,
    });

    it('lists a task’s lines oldest first with their fields', async () => {
      const a = await running();
      await ctx.store.logInsert({ now: T0 + SECOND, items: [entry(a, 'info', 'starting')] });
      const result = await ctx.store.logInsert({
        now: T0 + 2 * SECOND,
        items: [entry(a, 'warn', 'slow disk'), entry(a, 'error', 'retrying a chunk')],
      });
      expect(result).toEqual({ lost: [] });

      const logs = await ctx.store.logList({ taskId: a.id });
      expect(logs.map(({ id: _id, ...rest }) => rest)).toEqual([
        { taskId: a.id, attempt: 1, level: 'info', message: 'starting', at: new Date(T0 + SECOND) },
        {
          taskId: a.id,
          attempt: 1,
          level: 'warn',
          message: 'slow disk',
          at: new Date(T0 + 2 * SECOND),
        },
        {
          taskId: a.id,
          attempt: 1,
          level: 'error',
          message: 'retrying a chunk',
          at: new Date(T0 + 2 * SECOND),
        },
      ]);
      const logIds = logs.map((l) => l.id);
      expect([...logIds].sort((x, y) => x - y)).toEqual(logIds);
      expect(new Set(logIds).size).toBe(3);
    });

    it('tails with afterId and pages with limit', async () => {
      const a = await running();
      const messages = ['one', 'two', 'three', 'four', 'five'];
      for (const [i, message] of messages.entries()) {
        await ctx.store.logInsert({ now: T0 + i * SECOND, items: [entry(a, 'info', message)] });
      }
      const all = await ctx.store.logList({ taskId: a.id });
      const afterSecond = await ctx.store.logList({ taskId: a.id, afterId: nth(all, 1).id });
      expect(afterSecond.map((l) => l.message)).toEqual(['three', 'four', 'five']);
      const page = await ctx.store.logList({ taskId: a.id, afterId: nth(all, 0).id, limit: 2 });
      expect(page.map((l) => l.message)).toEqual(['two', 'three']);
      expect(await ctx.store.logList({ taskId: a.id, afterId: nth(all, 4).id })).toEqual([]);
    });

    it('keeps each task’s lines apart', async () => {
      const a = await running('a');
      const b = await running('b');
      await ctx.store.logInsert({
        now: T0 + SECOND,
        items: [entry(a, 'info', 'for a'), entry(b, 'info', 'for b')],
      });
      expect((await ctx.store.logList({ taskId: a.id })).map((l) => l.message)).toEqual(['for a']);
      expect((await ctx.store.logList({ taskId: b.id })).map((l) => l.message)).toEqual(['for b']);
    });

    it('reports a stale token as lost and stores nothing', async () => {
      const a = await running();
      const result = await ctx.store.logInsert({
        now: T0 + SECOND,
        items: [entry({ id: a.id, token: 'stale' }, 'info', 'forged')],
      });
      expect(result).toEqual({ lost: [a.id] });
      expect(await ctx.store.logList({ taskId: a.id })).toEqual([]);
    });
  });

  describe('artifactInsert and artifactList', () => {
    const artifactOf = (taskId: string, name: string): Omit<Artifact, 'createdAt'> => ({
      id: `${taskId}-${name}`,
      taskId,
      attempt: 1,
      name,
      path: `artifacts/${taskId}/${name}`,
      size: 2048,
      sha256: 'ab'.repeat(32),
    });

    it('stores an artifact for a current lease and lists it', async () => {
      const a = await running();
      const report = artifactOf(a.id, 'report.pdf');
      const result = await ctx.store.artifactInsert({
        now: T0 + SECOND,
        token: a.token,
        artifact: report,
      });
      const stored: Artifact = { ...report, createdAt: new Date(T0 + SECOND) };
      expect(result).toEqual({ ok: true, artifact: stored });

      const thumb = artifactOf(a.id, 'thumb.png');
      await ctx.store.artifactInsert({ now: T0 + 2 * SECOND, token: a.token, artifact: thumb });
      const listed = await ctx.store.artifactList({ taskId: a.id });
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(
        expect.arrayContaining([stored, { ...thumb, createdAt: new Date(T0 + 2 * SECOND) }]),
      );
    });

    it('rejects a stale token as lease_lost and stores nothing', async () => {
      const a = await running();
      const result = await ctx.store.artifactInsert({
        now: T0 + SECOND,
        token: 'stale',
        artifact: artifactOf(a.id, 'forged.bin'),
      });
      expect(result).toEqual({ ok: false, reason: 'lease_lost' });
      expect(await ctx.store.artifactList({ taskId: a.id })).toEqual([]);
    });
  });
}
