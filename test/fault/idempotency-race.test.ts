import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { listAll, useFaultHarness } from './harness.ts';
import { parseReady } from './protocol.ts';

const PROCESSES = 5;
const PER_PROCESS = 10;
const KEY = 'fault-idempotency-key';
const INPUT = { ms: 1, tag: 'one request' };

forEachBackend((backend) => {
  const harness = useFaultHarness({ backend });

  describe('one idempotency key from many processes at once', () => {
    it('creates one task and returns its id to every caller; another input conflicts', async () => {
      const env = await harness.env();
      const children = Array.from({ length: PROCESSES }, () =>
        harness.submitter(env, { count: PER_PROCESS, key: KEY, input: INPUT }),
      );
      await Promise.all(
        children.map((c) => c.waitForLine('ready', (l) => l.startsWith('ready '), 15_000)),
      );
      expect(children.map((c) => parseReady(c.lines[0] ?? 'ready {}').pid)).toEqual(
        children.map((c) => c.pid),
      );
      // Released by one line each, written back to back: all fifty submits race.
      for (const c of children) c.writeLine('go');
      const exits = await Promise.all(children.map((c) => c.closed));
      expect(exits.map((e) => e.code)).toEqual(Array(PROCESSES).fill(0));

      const answers = children.flatMap((c) =>
        c.lines.filter((l) => l.startsWith('id ') || l.startsWith('error ')),
      );
      expect(
        answers.filter((l) => l.startsWith('error ')),
        children.map((c) => c.stderr).join(''),
      ).toEqual([]);
      expect(answers).toHaveLength(PROCESSES * PER_PROCESS);
      const ids = new Set(answers.map((l) => l.slice(3)));
      expect(ids.size).toBe(1);

      const tasks = await listAll(env.mill);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ idempotencyKey: KEY, input: INPUT, status: 'queued' });
      expect(ids.has(tasks[0]?.id ?? '')).toBe(true);
      expect((await env.mill.history(tasks[0]?.id ?? '')).map((h) => h.to)).toEqual(['queued']);

      const replay = await env.mill.submit('fault.work', INPUT, { idempotencyKey: KEY });
      expect(replay.id).toBe(tasks[0]?.id);
      await expect(
        env.mill.submit(
          'fault.work',
          { ...INPUT, tag: 'another request' },
          { idempotencyKey: KEY },
        ),
      ).rejects.toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
        details: { idempotencyKey: KEY, existingId: tasks[0]?.id },
      });
      expect(await listAll(env.mill)).toHaveLength(1);
    }, 30_000);
  });

  describe('one idempotency key, different inputs, from many processes at once', () => {
    it('stores exactly one of them; every other input gets IDEMPOTENCY_CONFLICT', async () => {
      const env = await harness.env();
      const key = 'fault-contested-key';
      const children = Array.from({ length: PROCESSES }, (_, i) =>
        harness.submitter(env, { count: PER_PROCESS, key, input: { ms: 1, tag: `process ${i}` } }),
      );
      await Promise.all(
        children.map((c) => c.waitForLine('ready', (l) => l.startsWith('ready '), 15_000)),
      );
      for (const c of children) c.writeLine('go');
      await Promise.all(children.map((c) => c.closed));

      const tasks = await listAll(env.mill);
      expect(tasks).toHaveLength(1);
      const winner = tasks[0];
      const winningTag = (winner?.input as { tag?: string } | undefined)?.tag;
      const answers = children.map((c) =>
        c.lines.filter((l) => l.startsWith('id ') || l.startsWith('error ')),
      );
      for (const [i, lines] of answers.entries()) {
        expect(lines, `answers of process ${i}`).toHaveLength(PER_PROCESS);
        const expected =
          winningTag === `process ${i}` ? `id ${winner?.id}` : 'error IDEMPOTENCY_CONFLICT';
        expect(new Set(lines), `answers of process ${i}`).toEqual(new Set([expected]));
      }
    }, 30_000);
  });
});
