/**
 * The soak's arithmetic, kept free of processes and databases so it can be tested with real
 * numbers: samples cut into windows, per-window medians, maxima and percentiles, and the pass/fail
 * checks the soak prints. Window 0 is the warm-up; window 1 is the first after it, the baseline
 * of the growth checks (memory, connections, tables), while the claim latency is held to window 0
 * itself, as the plan asks ("within 20% of the first 5 minutes").
 */
import { percentile } from './scenarios/common.ts';

/** A value observed `at` milliseconds after the soak's start. */
export interface Timed {
  at: number;
  value: number;
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

/**
 * The samples of each of `count` windows of `windowMs`; a sample before the start or at or after
 * the end (the drain after the submitter stops) belongs to none.
 */
export function byWindow(samples: readonly Timed[], windowMs: number, count: number): number[][] {
  const windows: number[][] = Array.from({ length: count }, () => []);
  for (const { at, value } of samples) {
    const i = windowOf(at, windowMs, count);
    if (i !== null) windows[i]!.push(value);
  }
  return windows;
}

/** The window `at` falls in, or null before the start and from the end on. */
export function windowOf(at: number, windowMs: number, count: number): number | null {
  const i = Math.floor(at / windowMs);
  return at >= 0 && i < count ? i : null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile, null for an empty window (nothing happened, which is itself news). */
export function windowPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  return percentile(
    [...values].sort((a, b) => a - b),
    p,
  );
}

export function windowMax(values: readonly number[]): number | null {
  // Not Math.max(...values): a 30-minute window of claim times would overflow the call stack.
  return values.length === 0 ? null : values.reduce((a, b) => Math.max(a, b));
}

export function windowMin(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => Math.min(a, b));
}

/** (last − base) / base; null when either is missing or the base is 0. */
export function growth(base: number | null, last: number | null): number | null {
  if (base === null || last === null || base === 0) return null;
  return (last - base) / base;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number | null) => (v === null ? 'n/a' : String(Number(v.toFixed(2))));

/**
 * Growth of a per-window figure from the first window after the warm-up to the last one, at most
 * `limit`: memory (medians), connections and table rows (maxima). A missing figure fails: a
 * process that reported nothing in a window is not a pass.
 */
export function growthCheck(
  name: string,
  perWindow: readonly (number | null)[],
  limit: number,
  unit = '',
): Check {
  const base = perWindow[1] ?? null;
  const last = perWindow.at(-1) ?? null;
  const g = growth(base, last);
  // A figure that is 0 and stays 0 (no connections counted on a store without them) is flat.
  const flatZero = base === 0 && last === 0;
  const pass = flatZero || (g !== null && g <= limit);
  const how = g === null ? (flatZero ? '0 throughout' : 'no figure') : `grew ${pct(g)}`;
  return {
    name,
    pass,
    detail: `${how} (${num(base)} → ${num(last)}${unit}, window 2 → window ${perWindow.length}), limit ${pct(limit)}`,
  };
}

/**
 * Connections are flat when the last window reaches at most (1 + `limit`) × the highest of the
 * first two. The pools open connections on demand and close idle ones, so a window's maximum
 * wobbles by a few from window to window (10 to 28 within one window on PostgreSQL at 500/s); the
 * first two windows, warm-up included, show how far. Connections that leak pile up past that.
 */
export function flatCheck(name: string, maxima: readonly (number | null)[], limit: number): Check {
  const first = maxima.slice(0, 2);
  const last = maxima.at(-1) ?? null;
  if (maxima.length < 3 || last === null || first.includes(null)) {
    return { name, pass: false, detail: 'a window counted nothing' };
  }
  const base = Math.max(...(first as number[]));
  return {
    name,
    pass: last <= base * (1 + limit),
    detail: `last window's maximum ${last}, the first two windows' ${base}, limit ${pct(limit)} above`,
  };
}

/** Every window's p99 at most (1 + `limit`) × the first window's; a lower one passes. */
export function latencyCheck(name: string, p99s: readonly (number | null)[], limit: number): Check {
  const first = p99s[0] ?? null;
  if (first === null || p99s.length < 2) {
    return { name, pass: false, detail: 'no claims measured in the first window' };
  }
  const missing = p99s.indexOf(null, 1);
  if (missing !== -1)
    return { name, pass: false, detail: `window ${missing + 1} measured no claims` };
  let worst = 1;
  for (let i = 2; i < p99s.length; i++) if (p99s[i]! > p99s[worst]!) worst = i;
  const ratio = p99s[worst]! / first;
  return {
    name,
    pass: ratio <= 1 + limit,
    detail: `worst window ${worst + 1}: ${num(p99s[worst]!)} ms = ${ratio.toFixed(2)}× window 1's ${num(first)} ms, limit ${(1 + limit).toFixed(2)}×`,
  };
}

/** Every window held the offered rate: at least (1 − `limit`) × `target` a second. */
export function rateCheck(
  name: string,
  perSecond: readonly number[],
  target: number,
  limit: number,
): Check {
  const floor = target * (1 - limit);
  const low = perSecond.findIndex((v) => v < floor);
  return {
    name,
    pass: perSecond.length > 0 && low === -1,
    detail: `${perSecond.join(', ')} per window; at least ${Math.ceil(floor)}/s (${target}/s offered)${low === -1 ? '' : `, window ${low + 1} below`}`,
  };
}

/** The tasks the submitter stored all ended (completed, failed or timed out) by the drain's end. */
export function endedCheck(submitted: number, ended: number): Check {
  return {
    name: 'every submitted task ended',
    pass: submitted > 0 && ended === submitted,
    detail: `${ended} of ${submitted} ended${ended > submitted ? ' (more endings than tasks: some ran twice)' : ''}`,
  };
}

/** Retention must have deleted tasks after the warm-up, or the tables were bounded by nothing. */
export function retentionCheck(purgedPerWindow: readonly number[]): Check {
  const after = purgedPerWindow.slice(1);
  const idle = after.indexOf(0);
  return {
    name: 'retention applied in every window after the warm-up',
    pass: after.length > 0 && idle === -1,
    detail: `deleted per window: ${purgedPerWindow.join(', ')}${idle === -1 ? '' : ` (none in window ${idle + 2})`}`,
  };
}
