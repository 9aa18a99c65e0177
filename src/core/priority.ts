import { ValidationError } from './errors.ts';

/** Lower runs first; within one level tasks run in the order they became ready (FIFO). */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type PriorityName = (typeof PRIORITIES)[number];
export type Priority = PriorityName | 0 | 1 | 2 | 3;

export const DEFAULT_PRIORITY: PriorityName = 'normal';

export function priorityLevel(priority: Priority): number {
  if (typeof priority === 'number') {
    if (Number.isInteger(priority) && priority >= 0 && priority <= 3) return priority;
  } else {
    const level = PRIORITIES.indexOf(priority);
    if (level >= 0) return level;
  }
  throw new ValidationError(
    'PRIORITY_INVALID',
    `Priority ${JSON.stringify(priority)} is not valid; use one of ${PRIORITIES.join(', ')} or 0..3.`,
    [{ path: 'priority', message: `expected one of ${PRIORITIES.join(', ')} or 0..3` }],
  );
}

export function priorityName(level: number): PriorityName {
  return PRIORITIES[level] ?? DEFAULT_PRIORITY;
}
