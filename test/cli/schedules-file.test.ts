/**
 * The schedules file: seed 003's own example read as the seed means it, our shape in JSON and
 * YAML, and every bad entry refused with SCHEDULE_FILE_INVALID naming the entry and the field
 * before anything is applied.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  applySchedules,
  checkSchedulesFile,
  describeApply,
} from '../../src/cli/apply-schedules.ts';
import {
  findSchedulesFile,
  parseSchedulesFile,
  readSchedulesFile,
} from '../../src/cli/schedules-file.ts';
import { type AnyTaskDefinition, defineTask } from '../../src/core/define-task.ts';
import { TaskmillError, ValidationError } from '../../src/core/errors.ts';
import type { ScheduleDefinition } from '../../src/core/schedule.ts';

const SEED_FILE = new URL('../../examples/schedules/cron_jobs.json', import.meta.url).pathname;
const YAML_FILE = new URL('../../examples/schedules/taskmill.schedules.yaml', import.meta.url)
  .pathname;

function refusal(file: string, content: unknown): TaskmillError {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  try {
    parseSchedulesFile(file, text);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskmillError);
    expect((error as TaskmillError).code).toBe('SCHEDULE_FILE_INVALID');
    return error as TaskmillError;
  }
  throw new Error('expected the file to be refused');
}

describe("seed 003's config file", () => {
  it("reads the seed's example as two schedules, mapped field by field", () => {
    const { shape, definitions } = readSchedulesFile(SEED_FILE);
    expect(shape).toBe('cron_jobs');
    expect(definitions).toEqual([
      {
        name: 'data_collection',
        cron: '@hourly',
        task: 'data_collection',
        input: {},
        enabled: true,
        description: '数据采集: 定时数据采集任务',
        maxAttempts: 4,
        timeout: { hardMs: 300_000 },
      },
      {
        name: 'system_cleanup',
        cron: '0 2 * * *',
        task: 'system_cleanup',
        input: {},
        enabled: true,
        description: '系统清理: 系统清理任务',
        maxAttempts: 2,
        timeout: { hardMs: 600_000 },
      },
    ] satisfies ScheduleDefinition[]);
  });

  it('takes our keys for what the seed has no word for, and a name alone as the description', () => {
    const { definitions } = parseSchedulesFile(
      'jobs.json',
      JSON.stringify({
        cron_jobs: {
          report: {
            name: '每日报告',
            cron_expression: '0 9 * * *',
            task: 'daily.report',
            timezone: 'Asia/Shanghai',
            overlap: 'skip',
          },
        },
      }),
    );
    expect(definitions).toEqual([
      {
        name: 'report',
        cron: '0 9 * * *',
        task: 'daily.report',
        input: {},
        timezone: 'Asia/Shanghai',
        overlap: 'skip',
        description: '每日报告',
      },
    ]);
  });

  it('names the job and the field of a bad entry', () => {
    const error = refusal('jobs.json', {
      cron_jobs: {
        good: { cron_expression: '@daily' },
        bad: { cron_expression: '@daily', max_retries: 'three' },
      },
    });
    expect(error.message).toMatch(/jobs\.json: .*"cron_jobs\.bad\.max_retries"/);
    expect((error as ValidationError).issues).toEqual([
      { path: 'cron_jobs.bad.max_retries', message: expect.stringMatching(/whole number/) },
    ]);
    expect(refusal('jobs.json', { cron_jobs: { x: { cron: '@daily' } } }).message).toMatch(
      /"cron_jobs\.x\.cron": seed 003's jobs name the expression cron_expression\./,
    );
    expect(refusal('jobs.json', { cron_jobs: { x: { enabled: true } } }).message).toMatch(
      /cron_jobs\.x\.cron_expression is required/,
    );
  });
});

describe('our shape', () => {
  it('reads the YAML example, and the same list in JSON, bare or under "schedules"', () => {
    const yaml = readSchedulesFile(YAML_FILE);
    expect(yaml.shape).toBe('schedules');
    expect(yaml.definitions.map((d) => [d.name, d.cron, d.timezone ?? 'UTC'])).toEqual([
      ['data_collection', '@hourly', 'UTC'],
      ['system_cleanup', '0 2 * * *', 'Asia/Shanghai'],
      ['health_check', '*/30 * * * *', 'UTC'],
    ]);
    expect(yaml.definitions[1]).toMatchObject({ timeout: { hardMs: 600_000 }, overlap: 'skip' });
    const list = JSON.stringify(yaml.definitions);
    expect(parseSchedulesFile('a.json', list)).toEqual({
      file: 'a.json',
      shape: 'list',
      definitions: yaml.definitions,
      entries: ['schedules[0]', 'schedules[1]', 'schedules[2]'],
    });
    expect(parseSchedulesFile('b.json', `{"schedules":${list}}`).definitions).toEqual(
      yaml.definitions,
    );
  });

  it('refuses a bad entry naming its position and field, and a missing required field', () => {
    const good = { name: 'a', cron: '* * * * *', task: 't' };
    const bad = refusal('s.json', [good, { ...good, name: 'b', overlap: 'sometimes' }]);
    expect((bad as ValidationError).issues.map((i) => i.path)).toEqual(['schedules[1].overlap']);
    expect(bad.message).toMatch(/one of "allow", "skip", "queue"/);
    expect(refusal('s.json', [good, { name: 'c', task: 't' }]).message).toMatch(
      /schedules\[1\]\.cron is required/,
    );
    expect(refusal('s.json', [{ ...good, timeout: { hard: 5 } }]).message).toMatch(
      /"schedules\[0\]\.timeout\.hard".*did you mean "hardMs"/,
    );
    expect(refusal('s.json', [good, 'b']).message).toMatch(/schedules\[1\] must be an object/);
  });

  it('refuses a name given twice, a file of another shape, and text that does not parse', () => {
    const a = { name: 'a', cron: '* * * * *', task: 't' };
    expect(refusal('s.json', [a, a]).message).toMatch(/"a" is given twice \(entries 1 and 2\)/);
    expect(refusal('s.json', { jobs: [] }).message).toMatch(/expected \{ "schedules"/);
    expect(refusal('s.json', '{"schedules": [').message).toMatch(/cannot be read as JSON/);
    expect(refusal('s.yaml', 'schedules: [\n  - name: a\n   bad').message).toMatch(
      /cannot be read as YAML/,
    );
  });
});

describe('finding and applying the file', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('finds taskmill.schedules.json or .yaml in the folder, or the file named; else none', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cronsurf-find-'));
    expect(findSchedulesFile(undefined, dir)).toBeNull();
    writeFileSync(path.join(dir, 'taskmill.schedules.yaml'), 'schedules: []\n');
    expect(findSchedulesFile(undefined, dir)).toBe(path.join(dir, 'taskmill.schedules.yaml'));
    writeFileSync(path.join(dir, 'taskmill.schedules.json'), '[]');
    expect(findSchedulesFile(undefined, dir)).toBe(path.join(dir, 'taskmill.schedules.json'));
    expect(findSchedulesFile('other.json', dir)).toBe(path.join(dir, 'other.json'));
    expect(() => readSchedulesFile(path.join(dir as string, 'other.json'))).toThrow(
      /other\.json: cannot be read \(ENOENT\)/,
    );
  });

  it("says apply's refusal of an entry as the file's, naming the schedule", async () => {
    const loaded = readSchedulesFile(SEED_FILE);
    const refused = {
      apply: async () => {
        throw new ValidationError('SCHEDULE_INVALID', 'The expression "61 * * * *" is not valid.', [
          { path: '[1].cron', message: 'minute 61 is out of range' },
        ]);
      },
    };
    const error = await applySchedules(refused, loaded).then(
      () => null,
      (e: unknown) => e as ValidationError,
    );
    expect(error?.code).toBe('SCHEDULE_FILE_INVALID');
    expect(error?.message).toMatch(/cron_jobs\.json: schedule "system_cleanup": .*Nothing from/);
    expect(error?.issues).toEqual([{ path: '[1].cron', message: 'minute 61 is out of range' }]);
    // A message that names the schedule already is not given the name twice.
    const named = {
      apply: async () => {
        throw new ValidationError('SCHEDULE_INVALID', 'Schedule "system_cleanup": bad.', [], {
          name: 'system_cleanup',
        });
      },
    };
    const again = await applySchedules(named, loaded).then(
      () => null,
      (e: unknown) => e as ValidationError,
    );
    expect(again?.message).toBe(
      `${SEED_FILE}: Schedule "system_cleanup": bad. Nothing from the file was applied.`,
    );
    expect(again?.details).toMatchObject({
      entry: 'system_cleanup',
      refusedWith: 'SCHEDULE_INVALID',
    });
    const result = { created: ['a', 'b'], updated: [], unchanged: ['c'], disabled: ['d'] };
    expect(describeApply('f.json', result)).toBe(
      '  schedules from f.json: 2 created (a, b), 0 updated, 1 unchanged, 1 disabled (d)',
    );
  });
});

describe('each entry checked as apply will, named as the file names it', () => {
  const noop = async () => null;
  const defs = new Map<string, AnyTaskDefinition>(
    [
      defineTask({ name: 'data_collection', input: z.object({}).default({}), run: noop }),
      defineTask({ name: 'system_cleanup', input: z.object({ days: z.number() }), run: noop }),
    ].map((d) => [d.name, d as AnyTaskDefinition]),
  );
  const seed = (job: Record<string, unknown>) =>
    parseSchedulesFile(
      'jobs.json',
      JSON.stringify({
        cron_jobs: { data_collection: { cron_expression: '@hourly' }, system_cleanup: job },
      }),
    );
  const refusedPaths = (job: Record<string, unknown>) => {
    try {
      checkSchedulesFile(seed(job), defs);
    } catch (error) {
      expect((error as TaskmillError).code).toBe('SCHEDULE_FILE_INVALID');
      expect((error as TaskmillError).message).toMatch(
        /^jobs\.json: .*Nothing from the file was applied\.$/,
      );
      return (error as ValidationError).issues.map((i) => i.path);
    }
    return [];
  };

  it('passes the seed example once its types exist and the input fits', () => {
    expect(refusedPaths({ cron_expression: '0 2 * * *', input: { days: 7 } })).toEqual([]);
  });

  it("refuses every bad input of the issue, naming the job and the seed's key", () => {
    const input = { days: 7 };
    expect(refusedPaths({ cron_expression: '61 * * * *', input })).toEqual([
      'cron_jobs.system_cleanup.cron_expression',
    ]);
    expect(refusedPaths({ cron_expression: '@fortnightly', input })).toEqual([
      'cron_jobs.system_cleanup.cron_expression',
    ]);
    expect(refusedPaths({ cron_expression: '0 2 * * *', timezone: 'Mars/Olympus', input })).toEqual(
      ['cron_jobs.system_cleanup.timezone'],
    );
    expect(refusedPaths({ cron_expression: '0 2 * * *', task: 'nobody.defined', input })).toEqual([
      'cron_jobs.system_cleanup.task',
    ]);
    expect(refusedPaths({ cron_expression: '0 2 * * *', input: { days: 'seven' } })[0]).toMatch(
      /^cron_jobs\.system_cleanup\.input/,
    );
  });
});
