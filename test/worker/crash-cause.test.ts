import { describe, expect, it } from 'vitest';
import { crashCause } from '../../src/worker/executors/crash-cause.ts';

/** What workerpool reports when a worker exits: its code and signal inside the message. */
function exited(code: string, signal: string): Error {
  return new Error(
    `Workerpool Worker terminated Unexpectedly\n    exitCode: \`${code}\`\n    signalCode: \`${signal}\`\n    workerpool.script: \`x\`\n`,
  );
}

describe('crashCause', () => {
  it('prefers what the member said before it died', () => {
    const said = { name: 'Error', message: 'boom' };
    expect(crashCause('process', exited('1', 'null'), said, undefined)).toBe(
      'threw an uncaught error: boom',
    );
  });

  it('names the exit code, and process.exit for a thread', () => {
    expect(crashCause('process', exited('7', 'null'), null, undefined)).toBe('exited with code 7');
    expect(crashCause('thread', exited('3', 'undefined'), null, undefined)).toBe(
      'exited with code 3 (process.exit inside the thread)',
    );
  });

  it('names the signal, and reads SIGABRT as out of memory with the heap limit', () => {
    expect(crashCause('process', exited('null', 'SIGKILL'), null, undefined)).toBe(
      'was killed by SIGKILL',
    );
    expect(crashCause('process', exited('null', 'SIGABRT'), null, 64)).toBe(
      'was aborted (SIGABRT): it most likely ran out of memory (heap limit 64 MB)',
    );
  });

  it("reads a thread's fatal error and its out-of-memory code", () => {
    const oom = Object.assign(new Error('Workerpool Worker error: heap'), {
      cause: { code: 'ERR_WORKER_OUT_OF_MEMORY' },
    });
    expect(crashCause('thread', oom, null, 32)).toBe('ran out of memory (heap limit 32 MB)');
    expect(crashCause('thread', new Error('Workerpool Worker error: kaboom'), null, 32)).toBe(
      'threw an uncaught error: kaboom',
    );
  });

  it('passes on anything else as it came', () => {
    expect(crashCause('thread', new Error('odd'), null, undefined)).toBe(
      'stopped unexpectedly: odd',
    );
  });
});
