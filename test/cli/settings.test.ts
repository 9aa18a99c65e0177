/**
 * Settings of `serve` and `worker`: one precedence (flag, environment, config file, default),
 * every value checked with its source named, a typo in the file refused with the nearest key,
 * and a start-up list that masks passwords. Then retention set from the CLI really purges.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/cli/settings/config-file.ts';
import { describeSettings, resolveSettings } from '../../src/cli/settings/resolve.ts';
import { SETTINGS } from '../../src/cli/settings/spec.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { CliProcess, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox();
});
afterEach(() => box.cleanup());

function configFile(content: unknown, name = 'taskmill.config.json'): string {
  const file = path.join(box.dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function resolve(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, given?: string) {
  const config = loadConfigFile(given, env, box.dir);
  return resolveSettings({ command: 'serve', flags, globals: {}, env, config });
}

describe('settings precedence', () => {
  it('takes the flag, then TASKMILL_*, then the config file, then the default', () => {
    configFile({ worker: { concurrency: 4, prefetch: 8, leaseMs: '20s' }, serve: { port: 4000 } });
    const { settings, sources } = resolve(
      { concurrency: '2' },
      { TASKMILL_CONCURRENCY: '3', TASKMILL_PREFETCH: '6' },
    );
    expect(settings.worker).toEqual({ concurrency: 2, prefetch: 6, leaseMs: 20_000 });
    expect(settings.serve).toEqual({ port: 4000 });
    expect(settings.database).toBe('sqlite:./taskmill.db');
    const from = Object.fromEntries(sources.map((s) => [s.key, s.from]));
    expect(from).toMatchObject({
      database: 'default',
      'worker.concurrency': '--concurrency',
      'worker.prefetch': 'TASKMILL_PREFETCH',
      'worker.leaseMs': expect.stringMatching(/^"worker\.leaseMs" in .*taskmill\.config\.json$/),
    });
  });

  it('reads no file unless one is named or ./taskmill.config.json exists', () => {
    expect(loadConfigFile(undefined, {}, box.dir)).toBeNull();
    const named = configFile({ worker: { crashLimit: 5 } }, 'elsewhere.json');
    expect(resolve({}, { TASKMILL_CONFIG: named }).settings.worker).toEqual({ crashLimit: 5 });
    expect(() => resolve({}, {}, 'missing.json')).toThrow(
      /missing\.json cannot be read as JSON: ENOENT/,
    );
  });

  it('turns --retain and retention rules into retention of every finished status', () => {
    configFile({ retention: { failed: { maxAgeMs: '30d', maxCount: 100 } } });
    const { settings } = resolve({ retain: '7d' });
    const week = 7 * 86_400_000;
    expect(settings.retention).toEqual({
      completed: { maxAgeMs: week },
      failed: { maxAgeMs: week, maxCount: 100 },
      timed_out: { maxAgeMs: week },
      cancelled: { maxAgeMs: week },
      skipped: { maxAgeMs: week },
    });
  });
});

describe('the schedules file setting', () => {
  it('comes from --schedules, TASKMILL_SCHEDULES or the config key, for scheduler too', () => {
    configFile({ schedules: 'from-config.yaml' });
    const config = loadConfigFile(undefined, {}, box.dir);
    const resolveFor = (
      command: 'worker' | 'scheduler',
      flags: Record<string, unknown>,
      env = {},
    ) => resolveSettings({ command, flags, globals: {}, env, config });
    expect(resolveFor('scheduler', {}).settings.schedules).toBe('from-config.yaml');
    const fromEnv = resolveFor('worker', {}, { TASKMILL_SCHEDULES: 'env.json' });
    expect(fromEnv.settings.schedules).toBe('env.json');
    expect(fromEnv.sources).toContainEqual({
      key: 'schedules',
      shown: 'env.json',
      from: 'TASKMILL_SCHEDULES',
    });
    expect(resolveFor('scheduler', { schedules: 'flag.json' }).settings.schedules).toBe(
      'flag.json',
    );
    // The scheduler takes no worker setting.
    expect(resolveFor('scheduler', { concurrency: '4' }).settings.worker).toEqual({});
  });
});

describe('settings that are wrong', () => {
  it('names the environment variable or file key the bad value came from', () => {
    expect(() => resolve({}, { TASKMILL_CONCURRENCY: 'lots' })).toThrow(
      expect.objectContaining({
        code: 'CLI_INPUT_INVALID',
        message: expect.stringMatching(/^TASKMILL_CONCURRENCY expects a whole number 1\.\.1000/),
      }),
    );
    configFile({ worker: { leaseMs: 'a while' } });
    expect(() => resolve({})).toThrow(/"worker\.leaseMs" in .* expects a duration/);
  });

  it('refuses an unknown key in the config file, with the one it most likely meant', () => {
    configFile({ worker: { concurency: 4 } });
    expect(() => resolve({})).toThrow(
      expect.objectContaining({
        code: 'CLI_INPUT_INVALID',
        message: expect.stringContaining(
          '"worker.concurency" is not a setting; did you mean "worker.concurrency"?',
        ),
      }),
    );
    configFile({ retention: { done: { maxAgeMs: 1 } } });
    expect(() => resolve({})).toThrow(/"retention\.done" is not a setting/);
    configFile('{ "worker": ');
    expect(() => resolve({})).toThrow(/cannot be read as JSON/);
  });

  it('stops the command before it opens the database, with one coded line', async () => {
    const result = await runCli(['worker', '--tasks', FIXTURE_TASKS, '--database', box.database], {
      cwd: box.dir,
      env: { TASKMILL_LEASE: 'soon' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error CLI_INPUT_INVALID: TASKMILL_LEASE expects a duration/);
  });
});

describe('the settings printed at start', () => {
  it('say where each came from and never show a password', () => {
    const text = describeSettings(
      resolveSettings({
        command: 'worker',
        flags: { concurrency: '3' },
        globals: { database: 'postgres://app:s3cret@db.internal:5432/jobs' },
        env: {},
        config: null,
      }),
    );
    expect(text).toContain(
      'database            postgres://app:***@db.internal:5432/jobs  (--database)',
    );
    expect(text).toContain('worker.concurrency  3  (--concurrency)');
    expect(text).not.toContain('s3cret');
  });

  it('cover every setting with a flag, an environment variable and a config key, each once', () => {
    for (const field of ['key', 'env'] as const) {
      const names = SETTINGS.map((s) => s[field]);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    }
    expect(
      SETTINGS.every((s) => s.env.startsWith('TASKMILL_') && s.flag.name.startsWith('--')),
    ).toBe(true);
  });
});

describe('retention set from the CLI', () => {
  it('purges the finished tasks of the database a worker serves', async () => {
    const cli = (...args: string[]) =>
      runCli([...args, '--tasks', FIXTURE_TASKS, '--database', box.database], { cwd: box.dir });
    const task = JSON.parse((await cli('submit', 't.echo', '-i', '{"text":"x"}', '--json')).stdout);
    expect((await cli('cancel', task.id)).code).toBe(0);
    const worker = new CliProcess(
      ['worker', '--retain', '0s', '--tasks', FIXTURE_TASKS, '--database', box.database],
      { cwd: box.dir },
    );
    try {
      await worker.waitForOutput(/retain\s+0s\s+\(--retain\)/);
      await waitFor(
        'retention to delete the cancelled task',
        async () => (await cli('show', task.id)).code === 3,
      );
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
    }
  });
});
