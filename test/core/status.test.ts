import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, TaskmillError } from '../../src/core/errors.ts';
import {
  assertTransition,
  CLAIMABLE_STATUSES,
  canTransition,
  INITIAL_STATUSES,
  isStatus,
  isTerminal,
  STATUSES,
  type TaskStatus,
  TERMINAL_STATUSES,
  TRANSITIONS,
} from '../../src/core/status.ts';

const allowed: [TaskStatus, TaskStatus][] = STATUSES.flatMap((from) =>
  TRANSITIONS[from].map((to): [TaskStatus, TaskStatus] => [from, to]),
);
const disallowed: [TaskStatus, TaskStatus][] = STATUSES.flatMap((from) =>
  STATUSES.filter((to) => !TRANSITIONS[from].includes(to)).map((to): [TaskStatus, TaskStatus] => [
    from,
    to,
  ]),
);

function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('transition table', () => {
  it('has an entry for every status and names only known statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATUSES].sort());
    for (const [, to] of allowed) expect(isStatus(to)).toBe(true);
  });

  it('holds the lifecycle the design describes', () => {
    // The edges users and the store rely on; a table edit that drops one must fail here.
    const expected: [TaskStatus, TaskStatus][] = [
      ['pending', 'queued'],
      ['queued', 'running'],
      ['running', 'completed'],
      ['running', 'retrying'],
      ['retrying', 'running'],
      ['queued', 'paused'],
      ['paused', 'queued'],
      ['running', 'queued'],
      ['failed', 'queued'],
      ['cancelled', 'queued'],
      ['timed_out', 'queued'],
    ];
    for (const [from, to] of expected)
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
  });

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(
    disallowed.filter(
      (_, i) => i % 3 === 0 || ['completed', 'running'].includes(disallowed[i]?.[0] ?? ''),
    ),
  )('refuses %s → %s with a coded error naming both ends', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const error = thrownBy(() => assertTransition(from, to, { taskId: 't1' }));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toBeInstanceOf(TaskmillError);
    const e = error as IllegalTransitionError;
    expect(e.code).toBe('TASK_ILLEGAL_TRANSITION');
    expect(e.httpStatus).toBe(409);
    expect(e.details).toEqual({ taskId: 't1', from, to });
    expect(e.message).toContain(from);
    expect(e.message).toContain(to);
  });

  it('refuses a status going to itself', () => {
    for (const status of STATUSES) expect(canTransition(status, status), status).toBe(false);
  });

  it('keeps from/to in details even if the caller passes its own', () => {
    const e = thrownBy(() =>
      assertTransition('completed', 'running', { from: 'x', to: 'y' }),
    ) as IllegalTransitionError;
    expect(e.details).toMatchObject({ from: 'completed', to: 'running' });
  });
});

describe('terminal and special statuses', () => {
  it('marks completed, failed, timed_out, cancelled and skipped terminal', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual([
      'cancelled',
      'completed',
      'failed',
      'skipped',
      'timed_out',
    ]);
    for (const status of STATUSES) {
      expect(isTerminal(status), status).toBe(
        (TERMINAL_STATUSES as readonly string[]).includes(status),
      );
    }
  });

  it('lets a terminal status go only to queued (a retry) or pending (a resumed run), and completed or skipped nowhere', () => {
    expect(TRANSITIONS.completed).toEqual([]);
    expect(TRANSITIONS.skipped).toEqual([]);
    for (const status of TERMINAL_STATUSES) {
      for (const to of TRANSITIONS[status]) expect(['queued', 'pending']).toContain(to);
    }
  });

  it('starts new tasks only in pending, queued or paused', () => {
    expect([...INITIAL_STATUSES].sort()).toEqual(['paused', 'pending', 'queued']);
  });

  it('claims only from statuses that may go to running', () => {
    for (const status of CLAIMABLE_STATUSES) expect(canTransition(status, 'running')).toBe(true);
  });

  it('recognises status names', () => {
    expect(isStatus('timed_out')).toBe(true);
    expect(isStatus('done')).toBe(false);
    expect(isStatus('')).toBe(false);
  });
});
