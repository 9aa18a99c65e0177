/**
 * Issue 17, item 4: the push balancing strategies as pure plans of claims. A plan is run in
 * order until the queue runs dry, so its prefix is what a unit gets when tasks are few.
 */
import { describe, expect, it } from 'vitest';
import {
  BALANCING_STRATEGIES,
  type ClaimStep,
  planRound,
  type UnitSlots,
} from '../../src/worker/remote/balancing.ts';

function unit(id: string, capacity: number, more: Partial<UnitSlots> = {}): UnitSlots {
  return { id, unitType: 'A', capacity, held: 0, types: ['A'], queues: null, ...more };
}

/** What each unit gets when only `tasks` are ready and the plan runs in order. */
function dealt(steps: ClaimStep[], tasks: number): Record<string, number> {
  const got: Record<string, number> = {};
  let left = tasks;
  for (const s of steps) {
    const n = Math.min(s.limit, left);
    if (n > 0) got[s.unitId] = (got[s.unitId] ?? 0) + n;
    left -= n;
  }
  return got;
}

const total = (steps: ClaimStep[], id: string) =>
  steps.filter((s) => s.unitId === id).reduce((sum, s) => sum + s.limit, 0);

const UNEQUAL = [unit('u1', 1), unit('u2', 2), unit('u4', 4), unit('u8', 8)];

describe('least-loaded', () => {
  it('fills every free slot, the unit with the most free slots first', () => {
    const steps = planRound('least-loaded', UNEQUAL, 0);
    for (const u of UNEQUAL) expect(total(steps, u.id)).toBe(u.capacity);
    // u8 takes 4 alone, then shares with u4 (first among equals: it was first), then u2
    // joins, then u1.
    expect(steps.map((s) => `${s.unitId}:${s.limit}`)).toEqual([
      'u8:5',
      'u4:1',
      'u8:1',
      'u4:1',
      'u8:1',
      'u4:1',
      'u2:1',
      'u8:1',
      'u4:1',
      'u2:1',
      'u1:1',
    ]);
    expect(dealt(steps, 3)).toEqual({ u8: 3 });
    expect(dealt(steps, 8)).toEqual({ u8: 6, u4: 2 });
  });

  it('counts what each unit holds: the one with the most room now goes first', () => {
    const units = [unit('u4', 4), unit('u8', 8, { held: 7 })];
    const steps = planRound('least-loaded', units, 0);
    expect(steps[0]).toMatchObject({ unitId: 'u4', limit: 4 });
    expect(total(steps, 'u8')).toBe(1);
  });

  it('leaves out a unit at capacity (or past it)', () => {
    const units = [unit('a', 2, { held: 2 }), unit('b', 1, { held: 3 }), unit('c', 1)];
    expect(planRound('least-loaded', units, 0)).toEqual([
      { unitId: 'c', limit: 1, types: ['A'], queues: null },
    ]);
    expect(planRound('least-loaded', [unit('a', 1, { held: 1 })], 0)).toEqual([]);
    expect(planRound('least-loaded', [], 3)).toEqual([]);
  });

  it('breaks ties by id, rotated by the round’s turn', () => {
    const units = [unit('c', 1), unit('a', 1), unit('b', 1)];
    const first = (turn: number) => planRound('least-loaded', units, turn).map((s) => s.unitId);
    expect(first(0)).toEqual(['a', 'b', 'c']);
    expect(first(1)).toEqual(['b', 'c', 'a']);
    expect(first(2)).toEqual(['c', 'a', 'b']);
    expect(first(3)).toEqual(['a', 'b', 'c']);
  });

  it('takes a unit’s registered types and queues', () => {
    const units = [unit('a', 1, { types: ['A', 'B'], queues: ['q1'] })];
    expect(planRound('least-loaded', units, 0)).toEqual([
      { unitId: 'a', limit: 1, types: ['A', 'B'], queues: ['q1'] },
    ]);
  });

  it('deals large capacities in chunks, not one claim per slot', () => {
    const steps = planRound('least-loaded', [unit('a', 1000), unit('b', 1000)], 0);
    expect(total(steps, 'a')).toBe(1000);
    expect(total(steps, 'b')).toBe(1000);
    expect(steps.length).toBeLessThanOrEqual(64);
  });
});

describe('round-robin', () => {
  it('deals one task to each unit with a free slot in turn, whatever its capacity', () => {
    const steps = planRound('round-robin', UNEQUAL, 0);
    expect(steps.slice(0, 4).map((s) => `${s.unitId}:${s.limit}`)).toEqual([
      'u1:1',
      'u2:1',
      'u4:1',
      'u8:1',
    ]);
    for (const u of UNEQUAL) expect(total(steps, u.id)).toBe(u.capacity);
    expect(dealt(steps, 4)).toEqual({ u1: 1, u2: 1, u4: 1, u8: 1 });
    // Within capacity: u1 has one slot, u2 two.
    expect(dealt(steps, 8)).toEqual({ u1: 1, u2: 2, u4: 3, u8: 2 });
  });

  it('rotates the order from round to round', () => {
    const firstOf = (turn: number) => planRound('round-robin', UNEQUAL, turn)[0]?.unitId;
    expect([0, 1, 2, 3, 4].map(firstOf)).toEqual(['u1', 'u2', 'u4', 'u8', 'u1']);
    // Over four rounds of one task each, every unit was first once.
    const got: Record<string, number> = {};
    for (let turn = 0; turn < 4; turn++) {
      for (const [id, n] of Object.entries(dealt(planRound('round-robin', UNEQUAL, turn), 1)))
        got[id] = (got[id] ?? 0) + n;
    }
    expect(got).toEqual({ u1: 1, u2: 1, u4: 1, u8: 1 });
  });

  it('skips a unit at capacity', () => {
    const units = [unit('a', 1, { held: 1 }), unit('b', 2), unit('c', 1)];
    expect(planRound('round-robin', units, 0).map((s) => `${s.unitId}:${s.limit}`)).toEqual([
      'b:1',
      'c:1',
      'b:1',
    ]);
  });
});

describe('by-unit-type', () => {
  const typed = [
    unit('a1', 1, { unitType: 'A', types: ['A', 'B'] }),
    unit('a4', 4, { unitType: 'A', types: ['A'] }),
    unit('b2', 2, { unitType: 'B', types: ['A', 'B'] }),
  ];

  it('claims only the unit’s own type, even when it registered more', () => {
    const steps = planRound('by-unit-type', typed, 0);
    for (const s of steps) {
      expect(s.types).toEqual([s.unitId.startsWith('a') ? 'A' : 'B']);
    }
    expect(total(steps, 'a1')).toBe(1);
    expect(total(steps, 'a4')).toBe(4);
    expect(total(steps, 'b2')).toBe(2);
  });

  it('is least-loaded among the units of one type', () => {
    const aOnly = planRound('by-unit-type', typed, 0).filter((s) => s.types[0] === 'A');
    expect(aOnly[0]).toMatchObject({ unitId: 'a4', limit: 3 });
  });

  it('gives nothing to a unit without a unitType or whose types leave it out', () => {
    const units = [
      unit('none', 3, { unitType: null, types: ['A'] }),
      unit('other', 3, { unitType: 'gpu', types: ['A'] }),
    ];
    expect(planRound('by-unit-type', units, 0)).toEqual([]);
    // The other strategies give them their registered types.
    expect(planRound('least-loaded', units, 0).length).toBeGreaterThan(0);
  });
});

it('every strategy gives nothing to units that are all full', () => {
  const full = UNEQUAL.map((u) => ({ ...u, held: u.capacity }));
  for (const s of BALANCING_STRATEGIES) expect(planRound(s, full, 7)).toEqual([]);
});
