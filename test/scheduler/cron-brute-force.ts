/**
 * A cron matcher for the property tests that shares nothing with croner: it walks time minute by
 * minute (UTC minutes are the zone's minutes too: every offset here is whole minutes), reads each
 * minute's wall clock in the zone from Intl.DateTimeFormat, and fires where the fields match.
 *
 * Daylight saving, as docs/schedules.md says the product does it (croner's rules):
 * - an "interval" expression fires at every instant whose wall clock matches: a time in a
 *   spring-forward gap never happens, so it is skipped; a time in a fall-back repeat happens
 *   twice, so it fires twice;
 * - a "fixed time" (croner's own word: seconds, minute and hour each one value, written without
 *   `*` or `/`; `30 2 * * *` is one, `0,30 2 * * *` and `0 *\/1 * * *` are not) fires once a
 *   day: in a repeat at the first occurrence only; in a gap at the first instant after the gap,
 *   if that instant is still on the same local date.
 * Day of month and day of week: when both are restricted (written other than `*`), a day matching
 * either fires; otherwise a day must match both (so `*` leaves the other field alone).
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The DST changes of the zones used: Lord Howe's half hour, everybody else's hour. */
const DST_DELTAS = [30 * MINUTE, HOUR, 2 * HOUR];

/** What a matcher needs of an expression: the value sets of its fields. */
export interface CronFields {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  /** 1 … 12. */
  months: ReadonlySet<number>;
  /** 0 (Sunday) … 6; a 7 in the expression is Sunday too. */
  daysOfWeek: ReadonlySet<number>;
  domStar: boolean;
  dowStar: boolean;
  fixedTime: boolean;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

/** A zone's UTC offset at any minute, from Intl, read once an hour except in an hour that
 * changes it (then once a minute). */
export class ZoneOffsets {
  readonly zone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly hourly = new Map<number, number>();
  private readonly minutely = new Map<number, number>();

  constructor(zone: string) {
    this.zone = zone;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The wall clock at `ms` read as if it were UTC, minus `ms`. */
  private read(ms: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(ms)) p[part.type] = Number(part.value);
    const wall = Date.UTC(
      p['year'] as number,
      (p['month'] as number) - 1,
      p['day'] as number,
      p['hour'],
      p['minute'],
      p['second'],
    );
    return wall - Math.floor(ms / SECOND) * SECOND;
  }

  private atHour(hourMs: number): number {
    let offset = this.hourly.get(hourMs);
    if (offset === undefined) {
      offset = this.read(hourMs);
      this.hourly.set(hourMs, offset);
    }
    return offset;
  }

  /** The offset at the minute that holds `ms`. */
  at(ms: number): number {
    const minute = Math.floor(ms / MINUTE) * MINUTE;
    const hour = Math.floor(minute / HOUR) * HOUR;
    const offset = this.atHour(hour);
    if (offset === this.atHour(hour + HOUR)) return offset;
    let exact = this.minutely.get(minute);
    if (exact === undefined) {
      exact = this.read(minute);
      this.minutely.set(minute, exact);
    }
    return exact;
  }

  /** The instants in [from, to) where the offset changes. */
  transitions(from: number, to: number): number[] {
    const out: number[] = [];
    for (let h = from; h < to; h += HOUR) {
      if (this.atHour(h) === this.atHour(h + HOUR)) continue;
      for (let m = h + MINUTE; m <= h + HOUR; m += MINUTE) {
        if (this.at(m) !== this.at(m - MINUTE)) out.push(m);
      }
    }
    return out;
  }
}

const dates = new Map<number, LocalDate>();

/** The calendar date of a wall-clock day number (days since 1970-01-01). */
function dateOf(dayNumber: number): LocalDate {
  let d = dates.get(dayNumber);
  if (d === undefined) {
    const at = new Date(dayNumber * DAY);
    d = {
      year: at.getUTCFullYear(),
      month: at.getUTCMonth() + 1,
      day: at.getUTCDate(),
      weekday: at.getUTCDay(),
    };
    dates.set(dayNumber, d);
  }
  return d;
}

function dayMatches(f: CronFields, d: LocalDate): boolean {
  if (!f.months.has(d.month)) return false;
  const dom = f.daysOfMonth.has(d.day);
  const dow = f.daysOfWeek.has(d.weekday);
  return !f.domStar && !f.dowStar ? dom || dow : dom && dow;
}

/** The wall-clock time of day of `f` when it is a fixed time, in ms after midnight. */
function fixedTimeOfDay(f: CronFields): number {
  const [s] = f.seconds;
  const [m] = f.minutes;
  const [h] = f.hours;
  return (h as number) * HOUR + (m as number) * MINUTE + (s as number) * SECOND;
}

/** Whether the wall clock at `ms` was already shown earlier (the second pass of a repeat). */
function repeated(offsets: ZoneOffsets, ms: number): boolean {
  const offset = offsets.at(ms);
  return DST_DELTAS.some((d) => offsets.at(ms - d) === offset + d);
}

/**
 * The fire times of `f` in `zone` strictly after `after` and at most `until`, the first `limit`
 * of them, walking every minute.
 */
export function bruteForceRuns(
  f: CronFields,
  offsets: ZoneOffsets,
  after: number,
  until: number,
  limit: number,
): number[] {
  const out: number[] = [];
  const seconds = [...f.seconds].sort((a, b) => a - b);
  const fixedAt = f.fixedTime ? fixedTimeOfDay(f) : -1;
  const push = (ms: number) => {
    if (ms > after && ms <= until && out.length < limit) out.push(ms);
  };
  for (let t = Math.floor(after / MINUTE) * MINUTE; t <= until && out.length < limit; t += MINUTE) {
    const offset = offsets.at(t);
    const wall = t + offset;
    const dayNumber = Math.floor(wall / DAY);
    if (f.fixedTime) {
      // A spring-forward change at t: the wall times in [wall - gap, wall) never happened.
      const gap = offset - offsets.at(t - MINUTE);
      const missed = dayNumber * DAY + fixedAt;
      if (gap > 0 && missed >= wall - gap && missed < wall && dayMatches(f, dateOf(dayNumber))) {
        push(t);
      }
    }
    const minuteOfDay = wall - dayNumber * DAY;
    if (!f.minutes.has(Math.floor(minuteOfDay / MINUTE) % 60)) continue;
    if (!f.hours.has(Math.floor(minuteOfDay / HOUR))) continue;
    if (!dayMatches(f, dateOf(dayNumber))) continue;
    if (f.fixedTime && repeated(offsets, t)) continue;
    for (const s of seconds) push(t + s * SECOND);
  }
  return out;
}
