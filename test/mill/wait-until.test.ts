/**
 * `wait` must hear a change that lands while its first read is on its way: on a database server
 * that read can answer with the state from before the change, after the change's event was told.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../../src/mill/wait.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('waitUntil', () => {
  it('resolves on an event told while its first read was still on its way, without a poll', async () => {
    // Polls are timers, and fake ones never fire here: only the event can end the wait.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const reads: ((status: string) => void)[] = [];
    let changed: () => void = () => {};
    const waiting = waitUntil(
      {
        get: () => new Promise<string>((resolve) => reads.push(resolve)),
        done: (status) => status === 'completed',
        subscribe: (callback) => {
          changed = callback;
          return () => {};
        },
        what: 'the task',
        details: {},
      },
      {},
    );
    expect(reads).toHaveLength(1);
    changed();
    reads[0]?.('running');
    reads[1]?.('completed');
    await expect(waiting).resolves.toBe('completed');
  });

  it('refuses at once with a signal already aborted', async () => {
    const signal = AbortSignal.abort(new Error('gave up'));
    const waiting = waitUntil(
      {
        get: () => Promise.resolve('running'),
        done: () => false,
        subscribe: () => () => {},
        what: 'the task',
        details: {},
      },
      { signal },
    );
    await expect(waiting).rejects.toThrow('gave up');
  });
});
