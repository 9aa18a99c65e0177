import { describe, expect, it } from 'vitest';
import { cronIssues, parseCron } from '../../src/core/schedule-expression.ts';
import { thrownRefusal } from '../helpers/error-of.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const nextIso = (cron: string, from: string, count: number, zone = 'UTC') =>
  parseCron(cron, zone).nextRuns(count, at(from)).map(iso);

describe('cron expressions (croner)', () => {
  it('reads five fields, minute first, and gives fire times strictly after the given time', () => {
    expect(nextIso('*/5 * * * *', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:15:00.000Z',
    ]);
  });

  it('reads a leading seconds field', () => {
    expect(nextIso('*/20 * * * * *', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
    ]);
  });

  it.each([
    ['@yearly', '2027-01-01T00:00:00.000Z'],
    ['@annually', '2027-01-01T00:00:00.000Z'],
    ['@monthly', '2026-02-01T00:00:00.000Z'],
    ['@weekly', '2026-01-04T00:00:00.000Z'],
    ['@daily', '2026-01-02T00:00:00.000Z'],
    ['@midnight', '2026-01-02T00:00:00.000Z'],
    ['@hourly', '2026-01-01T01:00:00.000Z'],
  ])('reads %s', (cron, first) => {
    expect(nextIso(cron, '2026-01-01T00:00:00Z', 1)).toEqual([first]);
  });

  it('reads ranges, steps, lists and names', () => {
    // 2026-01-01 is a Thursday.
    expect(nextIso('0 9,17 * JAN MON-FRI', '2026-01-01T10:00:00Z', 3)).toEqual([
      '2026-01-01T17:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
      '2026-01-02T17:00:00.000Z',
    ]);
    expect(
      nextIso('10-20/5 * * * *', '2026-01-01T00:00:00Z', 4).map((t) => t.slice(14, 16)),
    ).toEqual(['10', '15', '20', '10']);
  });

  it('reads the expression in its zone', () => {
    // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
    expect(nextIso('0 9 * * *', '2026-01-10T00:00:00Z', 1, 'America/New_York')).toEqual([
      '2026-01-10T14:00:00.000Z',
    ]);
    expect(nextIso('0 9 * * *', '2026-07-10T00:00:00Z', 1, 'America/New_York')).toEqual([
      '2026-07-10T13:00:00.000Z',
    ]);
  });

  it('gives no fire time for a date that never comes', () => {
    expect(parseCron('0 0 31 2 *').next(at('2026-01-01T00:00:00Z'))).toBeNull();
  });

  it.each([
    ['61 * * * *', /61 is out of range for the minute field/],
    ['* 25 * * *', /25 is out of range for the hour field/],
    ['@fortnightly', /expected 5 fields .* or one of @yearly/],
    ['* * * * * * *', /expected 5 fields/],
    ['* * * *', /expected 5 fields/],
    ['', /expected 5 fields/],
    ['0 ? * * *', /"\?" is not taken/],
  ])('refuses %j naming the field cron and the reason', (cron, reason) => {
    const error = thrownRefusal(() => parseCron(cron));
    expect(error.code).toBe('SCHEDULE_INVALID');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('cron');
    expect(error.issues[0]?.message).toMatch(reason);
    expect(error.message).not.toMatch(/CronPattern/);
  });

  it('refuses an unknown zone naming the field timezone', () => {
    const error = thrownRefusal(() => parseCron('* * * * *', 'Mars/Olympus_Mons'));
    expect(error.code).toBe('SCHEDULE_INVALID');
    expect(error.issues).toEqual([
      {
        path: 'timezone',
        message: expect.stringMatching(/unknown time zone "Mars\/Olympus_Mons"/),
      },
    ]);
  });

  it('names both fields when both are bad', () => {
    expect(
      cronIssues('61 * * * *', 'Nowhere/Town')
        .map((i) => i.path)
        .sort(),
    ).toEqual(['cron', 'timezone']);
  });

  it('takes a zone in any case and keeps its canonical name', () => {
    expect(parseCron('* * * * *', 'utc').timezone).toBe('UTC');
    expect(parseCron('* * * * *', 'europe/berlin').timezone).toBe('Europe/Berlin');
  });
});

/**
 * What croner does across daylight-saving changes, in Europe/Berlin (2026-03-29: 02:00 CET jumps
 * to 03:00 CEST; 2026-10-25: 03:00 CEST falls back to 02:00 CET). The schedules guide states it.
 */
describe('cron expressions across daylight-saving changes', () => {
  const berlin = (cron: string, from: string, count: number) =>
    nextIso(cron, from, count, 'Europe/Berlin');

  it('spring forward: a fixed time inside the gap fires once, at the first time after it', () => {
    // 02:30 does not exist on 2026-03-29: the run is at 03:00 CEST (01:00 UTC).
    expect(berlin('30 2 * * *', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('spring forward: an interval expression skips the times in the gap', () => {
    // 01:30 CET, then 03:00 CEST: 02:00 and 02:30 never were.
    expect(berlin('*/30 * * * *', '2026-03-29T00:00:00Z', 3)).toEqual([
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
  });

  it('fall back: a fixed time in the repeated hour fires once, at its first occurrence', () => {
    expect(berlin('30 2 * * *', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-26T01:30:00.000Z', // 02:30 CET the next day
    ]);
  });

  it('fall back: an interval expression fires on both occurrences of the repeated hour', () => {
    expect(berlin('0 * * * *', '2026-10-24T23:30:00Z', 4)).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z', // 03:00 CET
      '2026-10-25T03:00:00.000Z',
    ]);
  });
});
