import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTask, type TaskmillEvents } from '../../src/index.ts';
import { useMills } from '../helpers/mill.ts';

const open = useMills();

afterEach(() => {
  vi.useRealTimers();
});

describe('delayed tasks', () => {
  it('start when due, not at the next poll', async () => {
    // Timers and Date are fake (the store's `now` with them); setImmediate stays real.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    const job = defineTask({ name: 'job', input: z.object({}), run: () => 'ran' });
    const mill = await open([job]);
    const running: TaskmillEvents['task.status'][] = [];
    mill.on('task.status', (e) => {
      if (e.to === 'running') running.push(e);
    });
    const task = await mill.submit('job', {}, { delayMs: 5_000 });
    const claimedOnce = new Promise((r) => mill.on('worker.started', r));
    // A poll a minute away: only the alarm set from the store's next due time can start it.
    await mill.startWorker({ handleSignals: false, pollMs: 60_000 });
    await claimedOnce;
    await vi.advanceTimersByTimeAsync(4_990);
    expect(running).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    await vi.waitFor(() => expect(running).toHaveLength(1));
    expect(running[0]?.taskId).toBe(task.id);
    expect(running[0]!.at.getTime() - task.runAt.getTime()).toBeLessThan(50);
  });
});
