/**
 * How a push dispatch round shares the ready tasks among the online push units: a pure plan of
 * claims, one unit at a time, that the dispatcher runs in order (push-dispatcher.ts). The store's
 * capacity cap stays the last word: a step asks for at most what the plan thinks is free, and a
 * claim never takes more than the unit's capacity minus what runs under its id.
 *
 * The strategies:
 * - `least-loaded` (default): slots are dealt to the unit with the most free ones first, water
 *   filling: the emptiest unit takes until it is level with the next, then the two share, and so
 *   on. With plenty of tasks every unit fills, so the work spreads in proportion to capacity;
 *   with few, they go where the most room is.
 * - `round-robin`: one task to each unit with a free slot in turn, then again, each round's
 *   order starting where the last one's deal stopped: units get equal shares whatever their
 *   capacity while they have a free slot when their turn comes. A full unit is skipped, never
 *   waited for, so when tasks queue up faster than the units run them, the larger units take
 *   more (each in proportion to how often it has a free slot).
 * - `by-unit-type`: as `least-loaded`, but a unit claims only tasks whose type is its `unitType`,
 *   even when it registered more `types`; a unit without a `unitType`, or whose `types` leave it
 *   out, gets nothing. A type no unit claims stays queued (a pulling worker may still take it).
 *
 * Ties go to the unit first in the round's order: the units by id, rotated by the round's turn
 * (the dispatcher moves it on by the tasks each round dealt), so no unit is always first.
 */

export const BALANCING_STRATEGIES = ['least-loaded', 'round-robin', 'by-unit-type'] as const;
export type BalancingStrategy = (typeof BALANCING_STRATEGIES)[number];
export const DEFAULT_BALANCING_STRATEGY: BalancingStrategy = 'least-loaded';

/** A push unit as a round sees it. */
export interface UnitSlots {
  id: string;
  unitType: string | null;
  /** Its registered capacity. */
  capacity: number;
  /** How many tasks it holds now (running under its id), as far as this process knows. */
  held: number;
  types: readonly string[];
  queues: readonly string[] | null;
}

/** One claim of the round: up to `limit` tasks of `types` (in `queues`) for `unitId`. */
export interface ClaimStep {
  unitId: string;
  limit: number;
  types: string[];
  queues: string[] | null;
}

/** A phase of a deal is dealt in at most this many passes: a unit with a thousand free slots
 * takes them in chunks, not in a thousand claims of one. */
const MAX_PASSES = 32;

interface Eligible {
  unit: UnitSlots;
  free: number;
  types: string[];
}

/** The units by id, rotated by `turn`: the order ties are broken in. */
function roundOrder(units: readonly UnitSlots[], turn: number): UnitSlots[] {
  const byId = [...units].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = byId.length;
  if (n === 0) return byId;
  const shift = ((Math.floor(turn) % n) + n) % n;
  return [...byId.slice(shift), ...byId.slice(0, shift)];
}

function step(e: Eligible, limit: number): ClaimStep {
  return {
    unitId: e.unit.id,
    limit,
    types: e.types,
    queues: e.unit.queues === null ? null : [...e.unit.queues],
  };
}

/** Consecutive steps for one unit become one claim. */
function merged(steps: ClaimStep[]): ClaimStep[] {
  const out: ClaimStep[] = [];
  for (const s of steps) {
    const last = out.at(-1);
    if (last && last.unitId === s.unitId) last.limit += s.limit;
    else out.push(s);
  }
  return out;
}

/** Deal each free slot to the unit with the most left, ties in order. */
function waterFill(units: Eligible[]): ClaimStep[] {
  // A stable sort keeps the round's order among equals.
  const sorted = [...units].sort((a, b) => b.free - a.free);
  const steps: ClaimStep[] = [];
  let level = sorted[0]?.free ?? 0;
  let k = 0;
  while (level > 0) {
    while (k < sorted.length && (sorted[k] as Eligible).free >= level) k++;
    const next = sorted[k]?.free ?? 0;
    const gap = level - next;
    const chunk = Math.max(1, Math.ceil(gap / MAX_PASSES));
    for (let dealt = 0; dealt < gap; dealt += chunk) {
      const size = Math.min(chunk, gap - dealt);
      for (let i = 0; i < k; i++) steps.push(step(sorted[i] as Eligible, size));
    }
    level = next;
  }
  return merged(steps);
}

/** One slot to each unit in order, then again, until every free slot is dealt. */
function inTurn(units: Eligible[]): ClaimStep[] {
  const most = Math.max(0, ...units.map((u) => u.free));
  const chunk = Math.max(1, Math.ceil(most / MAX_PASSES));
  const steps: ClaimStep[] = [];
  for (let dealt = 0; dealt < most; dealt += chunk) {
    for (const u of units) {
      const size = Math.min(chunk, u.free - dealt);
      if (size > 0) steps.push(step(u, size));
    }
  }
  return merged(steps);
}

/** The types a unit claims under `strategy`; empty: none. */
function typesFor(strategy: BalancingStrategy, unit: UnitSlots): string[] {
  if (strategy !== 'by-unit-type') return [...unit.types];
  return unit.unitType !== null && unit.types.includes(unit.unitType) ? [unit.unitType] : [];
}

/**
 * The claims of one round, in the order to make them. A unit at capacity, or with no type to
 * claim, has no step. The dispatcher stops a unit's later steps once one of its claims comes back
 * short (nothing more is ready for it, or the store found it full).
 */
export function planRound(
  strategy: BalancingStrategy,
  units: readonly UnitSlots[],
  turn: number,
): ClaimStep[] {
  const eligible: Eligible[] = [];
  for (const unit of roundOrder(units, turn)) {
    const free = Math.max(0, unit.capacity - unit.held);
    const types = typesFor(strategy, unit);
    if (free > 0 && types.length > 0) eligible.push({ unit, free, types });
  }
  return strategy === 'round-robin' ? inTurn(eligible) : waterFill(eligible);
}

export function isBalancingStrategy(value: unknown): value is BalancingStrategy {
  return (BALANCING_STRATEGIES as readonly unknown[]).includes(value);
}
