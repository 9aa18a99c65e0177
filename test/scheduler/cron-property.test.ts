/**
 * Property tests of the expression module (src/core/schedule-expression.ts, croner inside) over
 * random expressions and zones across two years: the fire times it gives strictly increase and
 * are exactly those of a minute-by-minute brute-force matcher (cron-brute-force.ts, which says
 * how daylight-saving gaps and repeats count). Each run compares a window: the first fire times
 * after a random start, the start often just before one of the zone's DST changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/core/schedule-expression.ts';
import { cronExpression, fixedTimeExpression, type GeneratedCron } from './cron-arbitraries.ts';
import { bruteForceRuns, MINUTE, ZoneOffsets } from './cron-brute-force.ts';

const FROM = Date.UTC(2026, 0, 1);
const UNTIL = Date.UTC(2028, 0, 1);
/** Fire times compared per run. */
const WINDOW = 25;
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Pacific/Chatham',
  // A half-hour change; and changes at midnight, the repeat crossing into the day before.
  'Australia/Lord_Howe',
  'America/Santiago',
];

const offsets = new Map(ZONES.map((z) => [z, new ZoneOffsets(z)]));
const zoneOffsets = (zone: string) => offsets.get(zone) as ZoneOffsets;
const changesOf = new Map(ZONES.map((z) => [z, zoneOffsets(z).transitions(FROM, UNTIL)]));
/** Fire times this close to a DST change are the ones its rules decide. */
const NEAR_CHANGE_MS = 2 * 60 * MINUTE;

const anywhere = fc.integer({ min: FROM, max: UNTIL - 1 });

/** A start within a day before (or an hour after) one of the zone's DST changes. */
function nearChange(zone: string): fc.Arbitrary<number> | null {
  const changes = (changesOf.get(zone) as number[]).filter((c) => c < UNTIL - 2 * 24 * 60 * MINUTE);
  if (changes.length === 0) return null;
  return fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -24 * 60 * MINUTE, max: 60 * MINUTE }))
    .map(([at, by]) => at + by);
}

/** Any expression in any zone, from anywhere in the two years or near a DST change. */
const cases = fc.constantFrom(...ZONES).chain((zone) => {
  const near = nearChange(zone);
  const after = near === null ? anywhere : fc.oneof(anywhere, near);
  return fc.record({ zone: fc.constant(zone), cron: cronExpression, after });
});

/** A fixed time in a zone that changes, from just before a change: the gap and repeat rules. */
const fixedCases = fc.constantFrom(...ZONES.filter((z) => nearChange(z) !== null)).chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    cron: fixedTimeExpression,
    after: nearChange(zone) as fc.Arbitrary<number>,
  }),
);

interface Case {
  zone: string;
  cron: GeneratedCron;
  after: number;
}

/** Fire times compared so far, and those near a DST change, by kind of expression. */
class Tally {
  compared = 0;
  nearChange = { fixed: 0, interval: 0 };

  /** The property: the product's next fire times increase and equal the matcher's. */
  check = ({ zone, cron, after }: Case): void => {
    const runs = parseCron(cron.text, zone).nextRuns(WINDOW, after);
    for (let i = 0; i < runs.length; i++) {
      expect(runs[i] as number).toBeGreaterThan(i === 0 ? after : (runs[i - 1] as number));
    }
    const inHorizon = runs.filter((r) => r <= UNTIL);
    const expected = bruteForceRuns(cron.fields, zoneOffsets(zone), after, UNTIL, WINDOW);
    expect(inHorizon.map(iso), `${cron.text} in ${zone} after ${iso(after)}`).toEqual(
      expected.map(iso),
    );
    this.compared += expected.length;
    const changes = changesOf.get(zone) as number[];
    const near = expected.filter((r) => changes.some((c) => Math.abs(r - c) <= NEAR_CHANGE_MS));
    this.nearChange[cron.fields.fixedTime ? 'fixed' : 'interval'] += near.length;
  };

  report(what: string, startedAt: number): void {
    console.info(
      `${what}: ${this.compared} fire times compared in ${Date.now() - startedAt} ms, within 2 h ` +
        `of a DST change: ${this.nearChange.fixed} of fixed times, ${this.nearChange.interval} of others`,
    );
  }
}

/** Check the property over `numRuns` cases and say how many fire times it compared. */
function checkAll(what: string, arbitrary: fc.Arbitrary<Case>, numRuns: number): Tally {
  const startedAt = Date.now();
  const tally = new Tally();
  fc.assert(fc.property(arbitrary, tally.check), { numRuns });
  tally.report(what, startedAt);
  return tally;
}

describe('next fire times over random expressions and zones, two years', () => {
  // Each test must have seen enough fire times near DST changes for its rules to be checked.
  it('strictly increase and equal a minute-by-minute matcher', () => {
    expect(checkAll('any expression', cases, 400).nearChange.interval).toBeGreaterThanOrEqual(30);
  }, 60_000);

  it('of fixed times around DST changes: once in a repeat, after a gap', () => {
    expect(checkAll('fixed times', fixedCases, 300).nearChange.fixed).toBeGreaterThanOrEqual(50);
  }, 60_000);
});

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
