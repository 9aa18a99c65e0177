import { describe, expect, it } from 'vitest';
import { mean, percentile } from '../../src/core/stats.ts';

describe('percentile (nearest rank)', () => {
  const values = [15, 20, 35, 40, 50];

  it('returns 0 for no values', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([], 99)).toBe(0);
  });

  it('picks the nearest-rank value', () => {
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
  });

  it('gives the minimum at p0 and the maximum at p100', () => {
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 100)).toBe(50);
  });

  it('sorts numerically a copy of unsorted input and leaves the input alone', () => {
    const input = [100, 9, 20, 3];
    expect(percentile(input, 50)).toBe(9);
    expect(percentile(input, 75)).toBe(20);
    expect(input).toEqual([100, 9, 20, 3]);
  });

  it('handles a single value', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('mean', () => {
  it('returns 0 for no values', () => {
    expect(mean([])).toBe(0);
  });

  it('averages the values', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-2, 2])).toBe(0);
    expect(mean([5])).toBe(5);
  });
});
