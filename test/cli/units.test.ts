/** The CLI's pure helpers, in-process: no child processes, no database. */
import { describe, expect, it } from 'vitest';
import { exitCodeForError, exitCodeForStatus } from '../../src/cli/exit-codes.ts';
import { formatDuration, table } from '../../src/cli/format.ts';
import { jsonErrorPosition } from '../../src/cli/json-error-position.ts';
import { definitionsOf } from '../../src/cli/load-tasks.ts';
import { parseJsonOption } from '../../src/cli/parse-options.ts';
import { ProgressBar, plainLine } from '../../src/cli/progress-bar.ts';
import { parseWorkerFlags } from '../../src/cli/run-worker.ts';
import { ERROR_CODES, type ErrorCode } from '../../src/core/error-codes.ts';
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
    ).toEqual(['t.echo', 't.fail', 't.steps']);
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
