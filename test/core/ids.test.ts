import { beforeEach, describe, expect, it, vi } from 'vitest';

// ids.ts keeps its last timestamp and counter in module state; each test gets a fresh copy so
// one test's timestamps cannot shape another's.
let ids: typeof import('../../src/core/ids.ts');
beforeEach(async () => {
  vi.resetModules();
  ids = await import('../../src/core/ids.ts');
});

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timeOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('uuidv7', () => {
  it('has the canonical format, version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) {
      const id = ids.uuidv7();
      expect(id).toMatch(FORMAT);
      const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
      expect(bytes[6]! >> 4).toBe(7);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('puts the given time in the first 48 bits', () => {
    const now = Date.parse('2027-03-04T05:06:07.089Z');
    const id = ids.uuidv7(now);
    expect(timeOf(id)).toBe(now);
  });

  it('uses Date.now when no time is given', () => {
    vi.useFakeTimers({ now: Date.parse('2028-01-01T00:00:00Z') });
    try {
      expect(timeOf(ids.uuidv7())).toBe(Date.parse('2028-01-01T00:00:00Z'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('follows the clock as it moves forward', () => {
    const a = ids.uuidv7(1_000_000);
    const b = ids.uuidv7(2_000_000);
    expect(timeOf(a)).toBe(1_000_000);
    expect(timeOf(b)).toBe(2_000_000);
    expect(a < b).toBe(true);
  });

  it('is strictly increasing for 10,000 ids made in one millisecond', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const made: string[] = [];
    for (let i = 0; i < 10_000; i++) made.push(ids.uuidv7(now));
    for (let i = 1; i < made.length; i++) {
      if (!(made[i - 1]! < made[i]!)) {
        expect.fail(`id ${i} (${made[i]}) does not sort after id ${i - 1} (${made[i - 1]})`);
      }
    }
    expect(new Set(made).size).toBe(made.length);
    // The counter may borrow a few following milliseconds, never more than it needs.
    expect(timeOf(made[0]!)).toBe(now);
    expect(timeOf(made.at(-1)!) - now).toBeLessThanOrEqual(3);
  });

  it('is strictly increasing in a tight loop on the real clock', () => {
    const made: string[] = [];
    for (let i = 0; i < 10_000; i++) made.push(ids.uuidv7());
    for (let i = 1; i < made.length; i++) {
      if (!(made[i - 1]! < made[i]!)) expect.fail(`id ${i} does not sort after id ${i - 1}`);
    }
  });

  it('never goes backwards when the clock does', () => {
    const later = ids.uuidv7(5_000_000);
    const earlier = ids.uuidv7(4_000_000);
    expect(earlier > later).toBe(true);
  });
});

describe('isUuid', () => {
  it('accepts our ids and other canonical lowercase UUIDs', () => {
    expect(ids.isUuid(ids.uuidv7())).toBe(true);
    expect(ids.isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
  });

  it('rejects anything else', () => {
    for (const bad of [
      '',
      'abc',
      '123e4567e89b12d3a456426614174000',
      '123e4567-e89b-12d3-a456-42661417400g',
      ' 123e4567-e89b-12d3-a456-426614174000',
    ]) {
      expect(ids.isUuid(bad), bad).toBe(false);
    }
  });
});
