import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, systemClock } from '../../src/core/clock.ts';

describe('ManualClock', () => {
  it('starts at 2026-01-01T00:00:00Z by default', () => {
    expect(new ManualClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('starts at a given number or Date', () => {
    expect(new ManualClock(1234).now()).toBe(1234);
    expect(new ManualClock(new Date('2030-05-06T07:08:09Z')).now()).toBe(
      Date.parse('2030-05-06T07:08:09Z'),
    );
  });

  it('stands still until told to move', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.now()).toBe(1000);
  });

  it('advances and returns the new time', () => {
    const clock = new ManualClock(1000);
    expect(clock.advance(250)).toBe(1250);
    expect(clock.now()).toBe(1250);
  });

  it('can be set forwards and backwards, from a number or a Date', () => {
    const clock = new ManualClock(5000);
    clock.set(100);
    expect(clock.now()).toBe(100);
    clock.set(new Date(9000));
    expect(clock.now()).toBe(9000);
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads Date.now', () => {
    vi.useFakeTimers({ now: Date.parse('2031-02-03T04:05:06Z') });
    expect(systemClock.now()).toBe(Date.parse('2031-02-03T04:05:06Z'));
  });
});
