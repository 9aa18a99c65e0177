/** The CLI's pure helpers, in-process: no child processes, no database. */
import { describe, expect, it } from 'vitest';
import { renderStats } from '../../src/cli/commands/stats.ts';
import { summary } from '../../src/cli/commands/submit.ts';
import { exitCodeForError, exitCodeForStatus } from '../../src/cli/exit-codes.ts';
import { formatDuration, table } from '../../src/cli/format.ts';
import { jsonErrorPosition } from '../../src/cli/json-error-position.ts';
import { definitionsOf } from '../../src/cli/load-tasks.ts';
import { parseJsonOption } from '../../src/cli/parse-options.ts';
import { ProgressBar, plainLine } from '../../src/cli/progress-bar.ts';
import { parseWorkerFlags } from '../../src/cli/run-worker.ts';
import type { TaskView } from '../../src/cli/task-access.ts';
import { ERROR_CODES, type ErrorCode } from '../../src/core/error-codes.ts';
import { statsQuery, summarizeStats } from '../../src/mill/stats.ts';
import * as fixture from './fixtures/tasks.ts';

describe('jsonErrorPosition', () => {
  it.each([
    ['{"text": oops}', 9],
    ['{"text":', 8],
    ['[1,2,]', 5],
    ['{"a":1}x', 7],
    ['{"a" 1}', 5],
    ['', 0],
    ['{"a":[true,null,"x\\n",-1.5e3]}', null],
  ])('%j fails at %s', (text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['01', '"\\q"', '[1,]', 'nul', '{"a":1,}', '1 2', '[', '"a']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonErrorPosition(text)).not.toBeNull();
    }
  });

  it('puts line and column into the CLI error', () => {
    expect(() => parseJsonOption('--input', '{\n  "a": x}')).toThrow(
      /at position 9 \(line 2 column 8\) found "x"/,
    );
  });
});

describe('exit codes', () => {
  it('map every error code to a documented exit code', () => {
    const documented = new Set([1, 2, 3, 4, 5, 6, 10, 11, 12]);
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(documented.has(exitCodeForError(code)), code).toBe(true);
    }
  });

  it('map final statuses for submit --wait', () => {
    expect(
      ['completed', 'failed', 'timed_out', 'cancelled'].map((s) => exitCodeForStatus(s as never)),
    ).toEqual([0, 10, 11, 12]);
  });
});

describe('definitionsOf', () => {
  it('finds definitions in a default array and named exports, once each', () => {
    expect(
      definitionsOf({ ...fixture })
        .map((d) => d.name)
        .sort(),
    ).toEqual(['t.echo', 't.fail', 't.nap', 't.steps']);
    expect(definitionsOf({ default: { a: fixture.echo }, other: 42 })).toEqual([fixture.echo]);
  });
});

describe('format', () => {
  it('formats durations', () => {
    expect([850, 4200, 185_000, 7_800_000, 270_000_000].map(formatDuration)).toEqual([
      '850ms',
      '4.2s',
      '3m 05s',
      '2h 10m',
      '3d 3h',
    ]);
  });

  it('aligns table columns', () => {
    const out = table(
      [
        { a: 'x', n: '1' },
        { a: 'longer', n: '22' },
      ],
      [
        { header: 'A', value: (r) => r.a },
        { header: 'N', value: (r) => r.n, align: 'right' },
      ],
    );
    expect(out).toBe('A        N\nx        1\nlonger  22');
  });
});

describe('ProgressBar', () => {
  const task = {
    status: 'running' as const,
    progress: 50,
    progressMessage: 'half',
    attempt: 1,
    maxAttempts: 3,
  };

  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    const bar = new ProgressBar({
      isTTY: true,
      columns: 100,
      write: (t: string) => written.push(t),
    });
    bar.update(task);
    bar.update({ ...task, progress: 100, status: 'completed' });
    bar.end();
    expect(written[0]?.endsWith('\x1b[K')).toBe(true);
    expect(written[0]).toMatch(/^\rrunning\s+\[#{12}-{12}\]\s+50% {2}half {2}\(attempt 1\/3\)/);
    expect(written[1]?.startsWith('\rcompleted')).toBe(true);
    expect(written[2]).toBe('\n');
  });

  it('writes plain lines elsewhere', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => written.push(t) });
    bar.update(task);
    bar.end();
    expect(written).toEqual([`${plainLine(task)}\n`]);
    expect(plainLine(task)).toBe('running 50% half  (attempt 1/3)');
  });
});

describe('parseWorkerFlags', () => {
  it('sizes the thread and process pools from --threads and --processes', () => {
    expect(parseWorkerFlags({ threads: '3', processes: '2' }).executors).toEqual({
      thread: { size: 3 },
      process: { size: 2 },
    });
    expect(parseWorkerFlags({}).executors).toBeUndefined();
  });

  it('takes --prefetch as a whole number ≥ 0', () => {
    expect(parseWorkerFlags({ prefetch: '0' }).prefetch).toBe(0);
    expect(parseWorkerFlags({ prefetch: '64' }).prefetch).toBe(64);
    expect(() => parseWorkerFlags({ prefetch: '-1' })).toThrow(
      expect.objectContaining({ code: 'CLI_INPUT_INVALID' }),
    );
  });

  it('refuses a pool of no threads with CLI_INPUT_INVALID', () => {
    expect(() => parseWorkerFlags({ threads: '0' })).toThrow(
      expect.objectContaining({ code: 'CLI_INPUT_INVALID' }),
    );
  });
});

describe('the summary submit --wait ends with', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
  const base = {
    id: '01900000-0000-7000-8000-000000000000',
    type: 't',
    queue: 'default',
    createdAt: at(0),
    output: 'ok',
    error: null,
  };

  it('gives the whole task from submit to finish apart from its last attempt', () => {
    const task = {
      ...base,
      status: 'completed',
      attempt: 3,
      startedAt: at(2_400),
      finishedAt: at(2_401),
    };
    expect(summary(task as unknown as TaskView)).toBe(
      'completed 2.4s after submit (3 attempts, the last ran 1ms); output: ok',
    );
  });

  it('names the error of a task that failed', () => {
    const task = {
      ...base,
      status: 'failed',
      attempt: 1,
      startedAt: at(5),
      finishedAt: at(8),
      error: { code: 'E_BAD', message: 'no', retryable: false },
    };
    expect(summary(task as unknown as TaskView)).toBe(
      'failed 8ms after submit (1 attempt, the last ran 3ms): E_BAD: no',
    );
  });
});

describe('stats as text', () => {
  it('tells tasks by outcome apart from attempts: a retried task that completed is not a failure', () => {
    const now = Date.UTC(2026, 2, 10, 12, 40);
    const query = statsQuery(now);
    const hour = Date.UTC(2026, 2, 10, 12);
    const ending = (outcome: 'completed' | 'failed') => ({
      type: 't',
      queue: 'q',
      outcome,
      count: 1,
    });
    const stats = summarizeStats(
      {
        counts: [{ type: 't', queue: 'q', status: 'completed', count: 1 }],
        durations: [{ type: 't', queue: 'q', durationMs: 5 }],
        finishedSince: [ending('failed'), ending('completed')],
        hourly: [
          { hour, ...ending('failed'), durationSumMs: 2 },
          { hour, ...ending('completed'), durationSumMs: 5 },
        ],
      },
      query,
      new Set(['t']),
    );
    const text = renderStats(stats);
    expect(text).toMatch(/^tasks\s+1 \(1 completed\)$/m);
    expect(text).toMatch(/^attempts, last minute\s+1 completed, 1 failed, /m);
    expect(text).toMatch(/^attempts, last 24 h\s+1 completed, 1 failed$/m);
    expect(text).toMatch(/^TYPE\s+COMPLETED$/m);
    expect(text).not.toMatch(/^TYPE .*\bFAILED$/m);
  });
});
