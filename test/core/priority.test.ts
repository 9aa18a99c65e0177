import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import {
  DEFAULT_PRIORITY,
  PRIORITIES,
  type Priority,
  priorityLevel,
  priorityName,
} from '../../src/core/priority.ts';

describe('priorities', () => {
  it('maps names to levels, lower runs first', () => {
    expect(priorityLevel('critical')).toBe(0);
    expect(priorityLevel('high')).toBe(1);
    expect(priorityLevel('normal')).toBe(2);
    expect(priorityLevel('low')).toBe(3);
  });

  it('accepts the levels 0..3 as numbers', () => {
    for (const level of [0, 1, 2, 3] as const) expect(priorityLevel(level)).toBe(level);
  });

  it('round-trips every name through its level', () => {
    for (const name of PRIORITIES) expect(priorityName(priorityLevel(name))).toBe(name);
  });

  it('defaults to normal', () => {
    expect(DEFAULT_PRIORITY).toBe('normal');
  });

  it.each(['urgent', 'Normal', '', '1', -1, 4, 1.5, Number.NaN, null])(
    'rejects %j with PRIORITY_INVALID',
    (value) => {
      let error: unknown;
      try {
        priorityLevel(value as Priority);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const e = error as ValidationError;
      expect(e.code).toBe('PRIORITY_INVALID');
      expect(e.httpStatus).toBe(400);
      expect(e.issues).toEqual([{ path: 'priority', message: expect.any(String) }]);
      expect(e.message).toContain('critical, high, normal, low');
    },
  );
});
