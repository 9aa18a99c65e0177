/**
 * Croner's fire times against a brute-force matcher, minute by minute, for seeded random
 * expressions and zones at random points of two years (daylight-saving changes included). The
 * matcher is the cron definition: minute, hour and month must match; day of month and day of week
 * must both match when one of them is `*`, either one when both are restricted (Vixie cron).
 * Fixed-time expressions (a single minute and a single hour) are left out: inside a DST gap or a
 * repeated hour croner moves or merges them on purpose (schedule-expression.test.ts shows how).
 */
import { describe, expect, it } from 'vitest';
import { parseCron } from '../../src/core/schedule-expression.ts';

const MINUTE = 60_000;
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
];

/** Days with a DST change in some of ZONES (2026–2027): US, EU, Lord Howe, Chatham, Chile. */
const DST_CHANGES = [
  Date.UTC(2026, 2, 8),
  Date.UTC(2026, 2, 29),
  Date.UTC(2026, 3, 5),
  Date.UTC(2026, 8, 6),
  Date.UTC(2026, 8, 27),
  Date.UTC(2026, 9, 4),
  Date.UTC(2026, 9, 25),
  Date.UTC(2026, 10, 1),
  Date.UTC(2027, 2, 14),
  Date.UTC(2027, 2, 28),
  Date.UTC(2027, 9, 31),
];

/** mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Field {
  text: string;
  values: Set<number>;
  star: boolean;
}

function field(next: () => number, min: number, max: number): Field {
  const pick = () => min + Math.floor(next() * (max - min + 1));
  const range = (a: number, b: number, step = 1) => {
    const out = new Set<number>();
    for (let v = a; v <= b; v += step) out.add(v);
    return out;
  };
  const kind = Math.floor(next() * 6);
  if (kind === 0) return { text: '*', values: range(min, max), star: true };
  if (kind === 1) {
    const v = pick();
    return { text: String(v), values: new Set([v]), star: false };
  }
  const [a, b] = [pick(), pick()].sort((x, y) => x - y) as [number, number];
  const step = 1 + Math.floor(next() * 4);
  if (kind === 2) return { text: `${a}-${b}`, values: range(a, b), star: false };
  if (kind === 3) return { text: `*/${step}`, values: range(min, max, step), star: false };
  if (kind === 4) return { text: `${a}-${b}/${step}`, values: range(a, b, step), star: false };
  const list = [...new Set([pick(), pick(), pick()])].sort((x, y) => x - y);
  return { text: list.join(','), values: new Set(list), star: false };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(zone: string, at: number) {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday'] ?? '');
  return {
    minute: Number(parts['minute']),
    hour: Number(parts['hour']),
    day: Number(parts['day']),
    month: Number(parts['month']),
    weekday,
  };
}

describe('cron fire times against a minute-by-minute matcher', () => {
  const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);
  it.each(SEEDS)('seed %i', (seed) => {
    const next = random(seed);
    let [minute, hour] = [field(next, 0, 59), field(next, 0, 23)];
    while (minute.values.size === 1 && hour.values.size === 1) hour = field(next, 0, 23);
    const dom = field(next, 1, 31);
    const month =
      next() < 0.7 ? field(next, 1, 12) : { text: '*', values: new Set<number>(), star: true };
    const dow = field(next, 0, 6);
    const cron = [minute, hour, dom, month, dow].map((f) => f.text).join(' ');
    const zone = ZONES[Math.floor(next() * ZONES.length)] as string;
    // A random minute of 2026–2027 (half of the time, three days before a DST change of one
    // of the zones), and the seven days after it.
    const near = DST_CHANGES[Math.floor(next() * DST_CHANGES.length)] as number;
    const start =
      next() < 0.5
        ? near - 3 * 24 * 60 * MINUTE + Math.floor(next() * 24 * 60) * MINUTE
        : Date.UTC(2026, 0, 1) + Math.floor(next() * 730 * 24 * 60) * MINUTE;
    const end = start + 7 * 24 * 60 * MINUTE;

    const expected: number[] = [];
    for (let at = start; at <= end; at += MINUTE) {
      const p = localParts(zone, at);
      const dayMatch =
        dom.star || dow.star
          ? dom.values.has(p.day) && dow.values.has(p.weekday)
          : dom.values.has(p.day) || dow.values.has(p.weekday);
      if (
        minute.values.has(p.minute) &&
        hour.values.has(p.hour) &&
        (month.star || month.values.has(p.month)) &&
        dayMatch
      ) {
        expected.push(at);
      }
    }
    const expression = parseCron(cron, zone);
    const actual: number[] = [];
    for (let at = expression.next(start - 1); at !== null && at <= end; at = expression.next(at)) {
      if (actual.length > 0) expect(at).toBeGreaterThan(actual.at(-1) as number);
      actual.push(at);
    }
    expect({ cron, zone, fires: actual.map((t) => new Date(t).toISOString()) }).toEqual({
      cron,
      zone,
      fires: expected.map((t) => new Date(t).toISOString()),
    });
  });
});
