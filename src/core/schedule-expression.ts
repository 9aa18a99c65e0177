/**
 * Cron expressions, read by croner (no parser of our own): five fields (minute first), six
 * (seconds first), or `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
 * `@hourly`; ranges, steps, lists, month and day names; in an IANA time zone. Croner does the
 * calendar arithmetic, daylight-saving changes included; exactly-once firing is ours
 * (src/scheduler/).
 *
 * An expression croner refuses is a ValidationError (SCHEDULE_INVALID) naming the field (`cron`
 * or `timezone`) with croner's reason in our words. Pure computation: the client may load it.
 */
import { Cron } from 'croner';
import type { FieldIssue } from './errors.ts';
import { ValidationError } from './errors.ts';

export const DEFAULT_TIMEZONE = 'UTC';

/** Longest expression kept: anything longer is a mistake, not a schedule. */
const MAX_CRON_LENGTH = 200;

/** A parsed expression in its zone: the fire times it gives, as ms since the epoch. */
export interface CronExpression {
  readonly cron: string;
  readonly timezone: string;
  /** The first fire time strictly after `afterMs`, or null when there is none (`0 0 31 2 *`). */
  next(afterMs: number): number | null;
  /** Up to `count` fire times strictly after `afterMs`, ascending. */
  nextRuns(count: number, afterMs: number): number[];
}

/** The zone as Intl names it (`utc` → `UTC`), or null when the runtime knows no such zone. */
export function canonicalTimezone(timezone: string): string | null {
  if (timezone.trim() === '' || timezone !== timezone.trim()) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Croner's messages start with the class that threw; the rest is what a person needs. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const body = text.replace(/^Cron(Pattern|Date)?:\s*/, '');
  const range = /^Invalid value for (\w+): (.*)$/.exec(body);
  if (range) return `${range[2]} is out of range for the ${range[1]} field`;
  if (/exactly five, six, or seven/.test(body) || /requires exactly 5 or 6 parts/.test(body)) {
    return 'expected 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first), or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly';
  }
  return body;
}

function cronIssue(message: string): FieldIssue {
  return { path: 'cron', message };
}

/** Croner options: no timer (nothing here runs a job), 5 or 6 fields, OR of the two day fields
 * as in Vixie cron. */
function cronOptions(timezone: string) {
  return { paused: true, timezone, mode: '5-or-6-parts' } as const;
}

/** The problems with an expression and a zone, or [] when croner takes both. */
export function cronIssues(cron: unknown, timezone: unknown = DEFAULT_TIMEZONE): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const zone = typeof timezone === 'string' ? canonicalTimezone(timezone) : null;
  if (zone === null) {
    issues.push({
      path: 'timezone',
      message:
        typeof timezone === 'string'
          ? `unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as "UTC" or "Europe/Berlin"`
          : 'expected a string: an IANA time zone such as "UTC" or "Europe/Berlin"',
    });
  }
  if (typeof cron !== 'string') {
    issues.push(cronIssue('expected a string such as "*/5 * * * *"'));
  } else if (cron.length > MAX_CRON_LENGTH) {
    issues.push(cronIssue(`longer than ${MAX_CRON_LENGTH} characters`));
  } else if (cron.includes('?')) {
    // Croner reads `?` as "the value at start-up": a schedule would change with each restart.
    issues.push(cronIssue('"?" is not taken: use "*" for any value'));
  } else {
    try {
      new Cron(cron.trim(), cronOptions(zone ?? DEFAULT_TIMEZONE));
    } catch (error) {
      issues.push(cronIssue(reasonOf(error)));
    }
  }
  return issues;
}

/** Refuse a bad expression or zone as SCHEDULE_INVALID naming each field. */
export function assertCron(cron: unknown, timezone: unknown = DEFAULT_TIMEZONE): void {
  const issues = cronIssues(cron, timezone);
  if (issues.length === 0) return;
  throw new ValidationError(
    'SCHEDULE_INVALID',
    issues.map((i) => `Schedule field "${i.path}" is invalid: ${i.message}.`).join(' '),
    issues,
  );
}

class CronerExpression implements CronExpression {
  readonly cron: string;
  readonly timezone: string;
  private readonly job: Cron;

  constructor(cron: string, timezone: string) {
    this.cron = cron;
    this.timezone = timezone;
    this.job = new Cron(cron, cronOptions(timezone));
  }

  next(afterMs: number): number | null {
    const d = this.job.nextRun(new Date(afterMs));
    return d === null ? null : d.getTime();
  }

  nextRuns(count: number, afterMs: number): number[] {
    const out: number[] = [];
    let at = afterMs;
    while (out.length < count) {
      const n = this.next(at);
      if (n === null) break;
      out.push(n);
      at = n;
    }
    return out;
  }
}

/** Parsed expressions by zone and text: a scheduler pass asks for the same few again and again. */
const parsed = new Map<string, CronExpression>();
const MAX_PARSED = 1000;

/** The expression, checked (SCHEDULE_INVALID when croner refuses it or the zone is unknown). */
export function parseCron(cron: string, timezone: string = DEFAULT_TIMEZONE): CronExpression {
  const key = `${timezone}\n${cron}`;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit;
  assertCron(cron, timezone);
  const expression = new CronerExpression(cron.trim(), canonicalTimezone(timezone) as string);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(key, expression);
  return expression;
}
