/**
 * How often an open dashboard view reads again: never two reads at once, and slower reads asked
 * for less often (a view left open on a million tasks must not keep the database busy).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadPacer } from '../../dashboard/src/read-pacer.ts';

/** A read the test ends by hand, `ms` of fake time after it started. */
function reads() {
  const started: number[] = [];
  const ends: (() => void)[] = [];
  const read = () => {
    started.push(Date.now());
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  /** End the read under way after `ms` of fake time. */
  const finish = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    ends.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { read, started, finish, inFlight: () => ends.length };
}

describe('ReadPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads at once when idle, and turns many asks during a read into one read after it', async () => {
    const r = reads();
    const pacer = new ReadPacer(r.read, { minGapMs: 1_000, gapFactor: 3 });
    pacer.request();
    expect(r.started).toEqual([0]);
    for (let i = 0; i < 20; i++) pacer.request();
    expect(r.inFlight()).toBe(1);
    await r.finish(100);
    // 100 ms read: the pause is the minimum, 1 s after it ended.
    await vi.advanceTimersByTimeAsync(999);
    expect(r.started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started).toEqual([0, 1_100]);
    await r.finish(100);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.started).toHaveLength(2);
    pacer.dispose();
  });

  it('waits three times as long as a slow read took before the next one', async () => {
    const r = reads();
    const pacer = new ReadPacer(r.read, { minGapMs: 1_000, gapFactor: 3 });
    pacer.request();
    pacer.request();
    await r.finish(2_000);
    expect(pacer.gapMs()).toBe(6_000);
    await vi.advanceTimersByTimeAsync(5_999);
    expect(r.started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.started).toEqual([0, 8_000]);
    pacer.dispose();
  });

  it('lets an urgent ask skip the pause, but not overlap a read under way', async () => {
    const r = reads();
    const pacer = new ReadPacer(r.read, { minGapMs: 1_000, gapFactor: 3 });
    pacer.request();
    await r.finish(2_000);
    pacer.request();
    pacer.request({ urgent: true });
    expect(r.started).toEqual([0, 2_000]);
    pacer.request({ urgent: true });
    expect(r.inFlight()).toBe(1);
    await r.finish(50);
    expect(r.started).toEqual([0, 2_000, 2_050]);
    pacer.dispose();
  });

  it('reads again after a failed read, and nothing after dispose', async () => {
    let calls = 0;
    const pacer = new ReadPacer(
      () => {
        calls++;
        return Promise.reject(new Error('server down'));
      },
      { minGapMs: 1_000, gapFactor: 3 },
    );
    pacer.request();
    await vi.advanceTimersByTimeAsync(0);
    pacer.request();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    pacer.request();
    pacer.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
  });
});
