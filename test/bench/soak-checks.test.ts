/**
 * The soak's arithmetic (bench/soak-checks.ts), with figures taken from its smoke runs: a run on
 * SQLite that held (window medians of RSS, claim p99s) and one on an overloaded PostgreSQL server
 * that did not.
 */
import { describe, expect, it } from 'vitest';
import {
  byWindow,
  endedCheck,
  flatCheck,
  growth,
  growthCheck,
  latencyCheck,
  median,
  rateCheck,
  retentionCheck,
  windowMax,
  windowMin,
  windowOf,
  windowPercentile,
} from '../../bench/soak-checks.ts';

describe('windows', () => {
  it('files samples by window, leaving out those before the start and from the end on', () => {
    const samples = [-5, 0, 999, 1000, 2999, 3000].map((at) => ({ at, value: at * 10 }));
    expect(byWindow(samples, 1000, 3)).toEqual([[0, 9990], [10_000], [29_990]]);
    expect(windowOf(-1, 1000, 3)).toBeNull();
    expect(windowOf(2999.9, 1000, 3)).toBe(2);
    expect(windowOf(3000, 1000, 3)).toBeNull();
  });

  it('takes medians, nearest-rank percentiles, maxima and minima, null for an empty window', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([215.14, 133.8, 228.54, 217.5])).toBeCloseTo(216.32, 5);
    expect(median([])).toBeNull();
    const shuffled = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    expect(windowPercentile(shuffled, 99)).toBe(99);
    expect(windowPercentile(shuffled, 50)).toBe(50);
    expect(windowPercentile([7.96], 99)).toBe(7.96);
    expect(windowPercentile([], 99)).toBeNull();
    expect([windowMin([4, 6, 5]), windowMax([4, 6, 5])]).toEqual([4, 6]);
    expect([windowMin([]), windowMax([])]).toEqual([null, null]);
  });

  it('finds the maximum of a long window without spreading it into a call', () => {
    const claims = Array.from({ length: 300_000 }, (_, i) => i % 1000);
    expect(windowMax(claims)).toBe(999);
    expect(windowMin(claims)).toBe(0);
  });
});

describe('checks', () => {
  it('growth is relative to the base, and unknown without both figures', () => {
    expect(growth(215.14, 228.54)).toBeCloseTo(0.0623, 4);
    expect(growth(98.94, 90.9)).toBeCloseTo(-0.0813, 4);
    expect([growth(null, 1), growth(1, null), growth(0, 1)]).toEqual([null, null, null]);
  });

  it('RSS: measured from the first window after the warm-up to the last', () => {
    // The warm-up window (133.8) is left out: from it the growth would be 71%.
    const cases = [
      { medians: [133.8, 215.14, 217.5, 223.9, 228.4, 228.54], pass: true, text: 'grew 6.2%' },
      { medians: [105.7, 138.21, 195.5, 201.1, 212.9, 218.58], pass: false, text: 'grew 58.2%' },
    ];
    for (const { medians, pass, text } of cases) {
      const check = growthCheck('steady worker RSS', medians, 0.1);
      expect(check.pass).toBe(pass);
      expect(check.detail).toContain(text);
    }
    expect(growthCheck('x', [100, 100, 110], 0.1).pass).toBe(true);
    expect(growthCheck('x', [100, 100, 110.01], 0.1).pass).toBe(false);
  });

  it('a window without a figure fails; zero throughout is flat', () => {
    expect(growthCheck('x', [100, 120, null], 0.1).pass).toBe(false);
    expect(growthCheck('x', [100, null, 100], 0.1).pass).toBe(false);
    const zero = growthCheck('rows in task_history', [0, 0, 0, 0], 0.2);
    expect(zero.pass).toBe(true);
    expect(zero.detail).toContain('0 throughout');
    expect(growthCheck('x', [0, 0, 5], 0.2).pass).toBe(false);
  });

  it('connections: flat when the last window reaches at most 10% above the first two', () => {
    expect(flatCheck('connections', [6, 6, 6, 6, 6, 6], 0.1).pass).toBe(true);
    // PostgreSQL at 500/s, embedded server: the pools' wobble, 25 early on, 26 at the end.
    expect(flatCheck('connections', [25, 25, 28, 27, 25, 26], 0.1).pass).toBe(true);
    const grew = flatCheck('connections', [20, 21, 22, 23, 24, 25], 0.1);
    expect(grew.pass).toBe(false);
    expect(grew.detail).toBe(
      "last window's maximum 25, the first two windows' 21, limit 10.0% above",
    );
    expect(flatCheck('connections', [20, 19, 22], 0.1).pass).toBe(true);
    expect(flatCheck('connections', [20, 19, 23], 0.1).pass).toBe(false);
    expect(flatCheck('connections', [20, null, 20], 0.1).pass).toBe(false);
    expect(flatCheck('connections', [20, 20, null], 0.1).pass).toBe(false);
    expect(flatCheck('connections', [20, 20], 0.1).pass).toBe(false);
  });

  it('claim p99: every window within 20% of the first, naming the worst', () => {
    const held = latencyCheck('claim p99', [7.96, 8.8, 5.4, 7.7, 9.17, 7.5], 0.2);
    expect(held.pass).toBe(true);
    expect(held.detail).toContain('worst window 5: 9.17 ms = 1.15×');
    const slowed = latencyCheck('claim p99', [126.96, 206.8, 192.1, 279.1, 293, 314.2], 0.2);
    expect(slowed.pass).toBe(false);
    expect(slowed.detail).toContain('worst window 6: 314.2 ms = 2.47×');
    expect(latencyCheck('c', [10, 12], 0.2).pass).toBe(true);
    expect(latencyCheck('c', [10, 12.01], 0.2).pass).toBe(false);
  });

  it('claim p99: a window with no claims fails', () => {
    expect(latencyCheck('c', [null, 5, 5], 0.2).pass).toBe(false);
    const gap = latencyCheck('c', [5, 5, null, 5], 0.2);
    expect(gap.pass).toBe(false);
    expect(gap.detail).toContain('window 3 measured no claims');
    expect(latencyCheck('c', [5], 0.2).pass).toBe(false);
  });

  it('rate: every window at least 95% of the offered rate', () => {
    expect(rateCheck('ended/s', [498, 488, 505, 499, 504, 496], 500, 0.05).pass).toBe(true);
    const low = rateCheck('ended/s', [498, 474, 505], 500, 0.05);
    expect(low.pass).toBe(false);
    expect(low.detail).toContain('window 2 below');
    expect(rateCheck('ended/s', [], 500, 0.05).pass).toBe(false);
  });

  it('every task ended: neither fewer nor more endings than tasks', () => {
    expect(endedCheck(89_996, 89_996).pass).toBe(true);
    expect(endedCheck(89_995, 24_821).pass).toBe(false);
    const twice = endedCheck(100, 101);
    expect(twice.pass).toBe(false);
    expect(twice.detail).toContain('ran twice');
    expect(endedCheck(0, 0).pass).toBe(false);
  });

  it('retention: deletions in every window after the warm-up', () => {
    expect(retentionCheck([9958, 14_738, 15_958, 14_354, 15_254, 14_323]).pass).toBe(true);
    expect(retentionCheck([0, 5, 5]).pass).toBe(true);
    const idle = retentionCheck([100, 5, 0, 5]);
    expect(idle.pass).toBe(false);
    expect(idle.detail).toContain('none in window 3');
    expect(retentionCheck([100]).pass).toBe(false);
  });
});
