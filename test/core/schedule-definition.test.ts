import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyTaskDefinition, defineTask } from '../../src/core/define-task.ts';
import {
  buildScheduledTask,
  checkScheduleChanges,
  checkScheduleDefinition,
  DEFAULT_CATCH_UP_WINDOW_MS,
  definitionOf,
} from '../../src/core/schedule-definition.ts';
import { thrownRefusal } from '../helpers/error-of.ts';

const report = defineTask({
  name: 'report.daily',
  input: z.object({ region: z.string() }),
  queue: 'reports',
  priority: 'high',
  run: async () => null,
});
const defs = new Map<string, AnyTaskDefinition>([[report.name, report as AnyTaskDefinition]]);
const NOW = Date.parse('2026-01-01T00:00:00Z');
const check = (d: unknown) => checkScheduleDefinition(d, defs, NOW);
const base = { name: 'daily-eu', cron: '0 6 * * *', task: 'report.daily', input: { region: 'eu' } };

describe('checkScheduleDefinition', () => {
  it('fills in the defaults, the task type giving queue and priority', () => {
    expect(check(base)).toEqual({
      ...base,
      timezone: 'UTC',
      priority: 1,
      queue: 'reports',
      maxAttempts: null,
      timeout: null,
      enabled: true,
      description: null,
      overlap: 'allow',
      catchUp: 'none',
      catchUpWindowMs: DEFAULT_CATCH_UP_WINDOW_MS,
    });
  });

  it('keeps what is given, and reads a definition back from what it stored', () => {
    const given = {
      ...base,
      timezone: 'Europe/Berlin',
      priority: 'low' as const,
      queue: 'q1',
      maxAttempts: 4,
      timeout: { hardMs: 5000 },
      enabled: false,
      description: 'EU report',
      overlap: 'queue' as const,
      catchUp: 'all' as const,
      catchUpWindowMs: 3_600_000,
    };
    const spec = check(given);
    expect(spec).toMatchObject({ priority: 3, queue: 'q1', maxAttempts: 4, overlap: 'queue' });
    expect(check(definitionOf(spec))).toEqual(spec);
  });

  it.each([
    [{ ...base, cron: '61 * * * *' }, 'cron', /61 is out of range for the minute field/],
    [{ ...base, cron: '@fortnightly' }, 'cron', /expected 5 fields/],
    [{ ...base, timezone: 'Atlantis/Capital' }, 'timezone', /unknown time zone/],
    [{ ...base, name: 'bad name!' }, 'name', /letters, digits/],
    [{ ...base, name: 'x'.repeat(129) }, 'name', /1\.\.128/],
    [{ ...base, overlap: 'never' }, 'overlap', /one of "allow", "skip", "queue"/],
    [{ ...base, catchUp: 'some' }, 'catchUp', /one of "none", "latest", "all"/],
    [{ ...base, catchUpWindowMs: 0 }, 'catchUpWindowMs', /whole number/],
    [{ ...base, cronn: '* * * * *' }, 'cronn', /did you mean "cron"/],
    [{ name: 'x', task: 'report.daily' }, 'cron', /required/],
  ])('refuses %j with SCHEDULE_INVALID at %s', (definition, path, reason) => {
    const error = thrownRefusal(() => check(definition));
    expect(error.code).toBe('SCHEDULE_INVALID');
    expect(error.issues.find((i) => i.path === path)?.message).toMatch(reason);
  });

  it('refuses a task type nobody defined with TASK_TYPE_UNKNOWN at task', () => {
    const error = thrownRefusal(() => check({ ...base, task: 'report.weekly' }));
    expect(error.code).toBe('TASK_TYPE_UNKNOWN');
    expect(error.issues.map((i) => i.path)).toEqual(['task']);
  });

  it("refuses an input that fails the type's schema with TASK_INPUT_INVALID at input", () => {
    const error = thrownRefusal(() => check({ ...base, input: { region: 7 } }));
    expect(error.code).toBe('TASK_INPUT_INVALID');
    expect(error.issues.map((i) => i.path)).toEqual(['input.region']);
  });

  it('refuses a bad queue as a submit does, at queue', () => {
    const error = thrownRefusal(() => check({ ...base, queue: 'no spaces' }));
    expect(error.code).toBe('QUEUE_NAME_INVALID');
    expect(error.issues.map((i) => i.path)).toEqual(['queue']);
  });
});

describe('checkScheduleChanges', () => {
  it('refuses a change of name and unknown fields', () => {
    expect(thrownRefusal(() => checkScheduleChanges({ name: 'b' })).issues[0]?.path).toBe('name');
    expect(thrownRefusal(() => checkScheduleChanges({ enabeld: true })).issues[0]?.message).toMatch(
      /did you mean "enabled"/,
    );
    expect(() => checkScheduleChanges({ enabled: false, cron: '@daily' })).not.toThrow();
  });
});

describe('buildScheduledTask', () => {
  it("makes the schedule's task, to run at the tick's time", () => {
    const spec = check({ ...base, maxAttempts: 2, timeout: { hardMs: 1000 } });
    const fireAt = NOW + 60_000;
    const t = buildScheduledTask(defs, spec, fireAt, NOW + 62_000);
    expect(t).toMatchObject({
      type: 'report.daily',
      queue: 'reports',
      priority: 1,
      input: { region: 'eu' },
      maxAttempts: 2,
      runAt: fireAt,
      timeout: { hardMs: 1000 },
      status: 'queued',
    });
  });
});
