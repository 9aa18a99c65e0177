import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, ManualClock, ValidationError } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

const job = defineTask({ name: 'job', input: z.object({ n: z.number() }), run: () => undefined });
const HOUR = 3_600_000;

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('purge', () => {
    it('deletes the finished tasks older than the cutoff, in the statuses asked, and nothing else', async () => {
      const clock = new ManualClock();
      const mill = await open([job], { clock });
      const old = await mill.submit('job', { n: 1 });
      const oldFailed = await mill.submit('job', { n: 2 });
      await mill.cancel(old.id);
      await mill.cancel(oldFailed.id);
      clock.advance(2 * HOUR);
      const recent = await mill.submit('job', { n: 3 });
      await mill.cancel(recent.id);
      const waiting = await mill.submit('job', { n: 4 });
      clock.advance(30 * 60_000);

      expect(await mill.purge({ olderThanMs: HOUR, status: 'completed' })).toEqual({ deleted: 0 });
      expect(await mill.purge({ olderThanMs: HOUR })).toEqual({ deleted: 2 });
      const left = (await mill.list()).tasks.map((t) => t.id).sort();
      expect(left).toEqual([recent.id, waiting.id].sort());
      await expect(mill.history(old.id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    });

    it('refuses a missing cutoff, an unknown option and an unfinished status, deleting nothing', async () => {
      const mill = await open([job]);
      const task = await mill.submit('job', { n: 1 });
      await mill.cancel(task.id);
      const bad = [
        {},
        { olderThanMs: -1 },
        { olderThanMs: 0, olderThan: 5 },
        { olderThanMs: 0, status: 'queued' },
      ];
      for (const options of bad) {
        await expect(mill.purge(options as never)).rejects.toBeInstanceOf(ValidationError);
      }
      await expect(mill.purge({ olderThanMs: 0, olderThan: 5 } as never)).rejects.toThrow(
        /Unknown option "options\.olderThan": did you mean "olderThanMs"\?/,
      );
      expect((await mill.get(task.id)).status).toBe('cancelled');
    });
  });
});
