import type { CrossedError } from './protocol.ts';

export type MemberKind = 'thread' | 'process';

/**
 * Why a thread or process died, in words, from what the pool library reported and what the
 * member said before it went. workerpool reports an exit with its code and signal in the
 * message text, and a thread's fatal error as the error itself.
 */
export function crashCause(
  kind: MemberKind,
  error: unknown,
  said: CrossedError | null,
  heapLimitMb: number | undefined,
): string {
  const heap = heapLimitMb ? ` (heap limit ${heapLimitMb} MB)` : '';
  if (said) return `threw an uncaught error: ${said.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause?.code === 'ERR_WORKER_OUT_OF_MEMORY') return `ran out of memory${heap}`;
  const exit = /exitCode: `([^`]*)`[\s\S]*signalCode: `([^`]*)`/.exec(message);
  if (exit) {
    const [, code, signal] = exit;
    if (signal && signal !== 'null' && signal !== 'undefined') {
      if (signal === 'SIGABRT') {
        return `was aborted (SIGABRT): it most likely ran out of memory${heap}`;
      }
      return `was killed by ${signal}`;
    }
    return `exited with code ${code}${kind === 'thread' ? ' (process.exit inside the thread)' : ''}`;
  }
  const fatal = /^Workerpool Worker error: ([\s\S]*)$/.exec(message);
  if (fatal) return `threw an uncaught error: ${fatal[1]}`;
  return `stopped unexpectedly: ${message}`;
}
