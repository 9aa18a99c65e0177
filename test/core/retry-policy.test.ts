import { describe, expect, it } from 'vitest';
import { NonRetryableError, ValidationError } from '../../src/core/errors.ts';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  isRetryableError,
  maxAttemptsOf,
  type RetryDecision,
  type RetryPolicy,
  validateRetryPolicy,
} from '../../src/core/retry-policy.ts';

const boom = new Error('boom');

function delayAt(policy: RetryPolicy, attempt: number, random?: () => number): number {
  const decision = decideRetry(policy, { attempt, error: boom, maxAttempts: 100 }, random);
  if (!decision.retry) throw new Error(`expected a retry, got: ${decision.reason}`);
  return decision.delayMs;
}

function delays(policy: RetryPolicy, attempts: number): number[] {
  return Array.from({ length: attempts }, (_, i) => delayAt(policy, i + 1));
}

describe('decideRetry: backoff kinds', () => {
  it('fixed waits the same every time', () => {
    expect(delays({ kind: 'fixed', delayMs: 700 }, 4)).toEqual([700, 700, 700, 700]);
  });

  it('fixed defaults to one second', () => {
    expect(delayAt({ kind: 'fixed' }, 1)).toBe(1000);
  });

  it('linear adds the increment per attempt', () => {
    expect(delays({ kind: 'linear', delayMs: 100, incrementMs: 50 }, 4)).toEqual([
      100, 150, 200, 250,
    ]);
  });

  it('linear without an increment steps by the base delay', () => {
    expect(delays({ kind: 'linear', delayMs: 200 }, 3)).toEqual([200, 400, 600]);
  });

  it('exponential multiplies by the factor per attempt', () => {
    expect(delays({ kind: 'exponential', delayMs: 100, factor: 3 }, 4)).toEqual([
      100, 300, 900, 2700,
    ]);
  });

  it('the default policy is exponential from one second, doubling, three attempts', () => {
    expect(delays(DEFAULT_RETRY_POLICY, 3)).toEqual([1000, 2000, 4000]);
    expect(maxAttemptsOf(DEFAULT_RETRY_POLICY)).toBe(3);
    expect(maxAttemptsOf({ kind: 'fixed' })).toBe(3);
    expect(maxAttemptsOf({ kind: 'fixed', maxAttempts: 7 })).toBe(7);
  });

  it('custom gets the attempt and the error', () => {
    const seen: unknown[] = [];
    const policy: RetryPolicy = {
      kind: 'custom',
      delay: ({ attempt, error }) => {
        seen.push(error);
        return attempt * 11;
      },
    };
    expect(delays(policy, 3)).toEqual([11, 22, 33]);
    expect(seen).toEqual([boom, boom, boom]);
  });

  it('rounds to whole milliseconds and never goes below 0', () => {
    expect(delayAt({ kind: 'custom', delay: () => 10.6 }, 1)).toBe(11);
    expect(delayAt({ kind: 'custom', delay: () => -50 }, 1)).toBe(0);
  });
});

describe('decideRetry: maxDelayMs', () => {
  it('caps every kind', () => {
    expect(delays({ kind: 'exponential', delayMs: 100, maxDelayMs: 350 }, 5)).toEqual([
      100, 200, 350, 350, 350,
    ]);
    expect(delayAt({ kind: 'fixed', delayMs: 900, maxDelayMs: 500 }, 1)).toBe(500);
    expect(delayAt({ kind: 'linear', delayMs: 100, maxDelayMs: 250 }, 9)).toBe(250);
    expect(delayAt({ kind: 'custom', delay: () => 10_000, maxDelayMs: 42 }, 1)).toBe(42);
  });

  it('defaults to five minutes', () => {
    expect(delayAt({ kind: 'exponential', delayMs: 1000 }, 30)).toBe(300_000);
  });

  it('caps a delay that overflows to Infinity at the policy cap, not the default', () => {
    const policy: RetryPolicy = {
      kind: 'exponential',
      delayMs: 1000,
      factor: 1e10,
      maxDelayMs: 3_600_000,
    };
    expect(delayAt(policy, 50)).toBe(3_600_000);
  });

  it('treats a custom delay that is not a number as the cap', () => {
    expect(delayAt({ kind: 'custom', delay: () => Number.NaN, maxDelayMs: 900 }, 1)).toBe(900);
  });

  it('holds with jitter that stretches the delay', () => {
    const policy: RetryPolicy = { kind: 'fixed', delayMs: 1000, maxDelayMs: 1000, jitter: 0.5 };
    expect(delayAt(policy, 1, () => 1)).toBe(1000);
    expect(delayAt(policy, 1, () => 0)).toBe(500);
  });
});

describe('decideRetry: jitter', () => {
  const base = { kind: 'fixed', delayMs: 1000 } as const;

  it('none leaves the delay alone and draws no random number', () => {
    const random = () => {
      throw new Error('random must not be called');
    };
    expect(delayAt(base, 1, random)).toBe(1000);
    expect(delayAt({ ...base, jitter: false }, 1, random)).toBe(1000);
  });

  it('full spreads over [0, delay]', () => {
    const policy: RetryPolicy = { ...base, jitter: 'full' };
    expect(delayAt(policy, 1, () => 0)).toBe(0);
    expect(delayAt(policy, 1, () => 0.25)).toBe(250);
    expect(delayAt(policy, 1, () => 0.999)).toBe(999);
  });

  it('equal keeps half and spreads the other half', () => {
    const policy: RetryPolicy = { ...base, jitter: 'equal' };
    expect(delayAt(policy, 1, () => 0)).toBe(500);
    expect(delayAt(policy, 1, () => 0.5)).toBe(750);
    expect(delayAt(policy, 1, () => 0.999)).toBe(1000);
  });

  it('a fraction spreads ± that fraction around the delay', () => {
    const policy: RetryPolicy = { ...base, maxDelayMs: 10_000, jitter: 0.2 };
    expect(delayAt(policy, 1, () => 0)).toBe(800);
    expect(delayAt(policy, 1, () => 0.5)).toBe(1000);
    expect(delayAt(policy, 1, () => 1)).toBe(1200);
  });

  it('applies to the capped delay, so full jitter never exceeds the cap', () => {
    const policy: RetryPolicy = {
      kind: 'exponential',
      delayMs: 1000,
      maxDelayMs: 2000,
      jitter: 'full',
    };
    expect(delayAt(policy, 10, () => 0.5)).toBe(1000);
  });
});

describe('decideRetry: when not to retry', () => {
  it('stops once the attempts are used up, and says so', () => {
    const policy: RetryPolicy = { kind: 'fixed', delayMs: 10 };
    expect(decideRetry(policy, { attempt: 2, error: boom, maxAttempts: 3 }).retry).toBe(true);
    const last = decideRetry(policy, { attempt: 3, error: boom, maxAttempts: 3 });
    expect(last).toEqual({ retry: false, reason: 'attempts used up (3 of 3)' });
    expect(decideRetry(policy, { attempt: 1, error: boom, maxAttempts: 1 }).retry).toBe(false);
  });

  it('uses the maxAttempts it is given over the policy’s own', () => {
    const policy: RetryPolicy = { kind: 'fixed', maxAttempts: 2 };
    expect(decideRetry(policy, { attempt: 2, error: boom, maxAttempts: 5 }).retry).toBe(true);
  });

  it('fails a NonRetryableError at once, whatever attempts remain', () => {
    const decision = decideRetry(DEFAULT_RETRY_POLICY, {
      attempt: 1,
      error: new NonRetryableError('bad card'),
      maxAttempts: 10,
    });
    expect(decision).toEqual({ retry: false, reason: 'error is not retryable' });
  });

  it('fails any error that says retryable: false', () => {
    const error = Object.assign(new Error('no'), { retryable: false });
    expect(isRetryableError(error)).toBe(false);
    expect(isRetryableError(Object.assign(new Error('yes'), { retryable: true }))).toBe(true);
    expect(isRetryableError('a string')).toBe(true);
    expect(isRetryableError(null)).toBe(true);
    expect(decideRetry(DEFAULT_RETRY_POLICY, { attempt: 1, error, maxAttempts: 3 }).retry).toBe(
      false,
    );
  });

  it('retries only what retryIf accepts, and hands it the error', () => {
    class Transient extends Error {}
    const policy: RetryPolicy = {
      kind: 'fixed',
      delayMs: 5,
      retryIf: (e) => e instanceof Transient,
    };
    const decide = (error: unknown): RetryDecision =>
      decideRetry(policy, { attempt: 1, error, maxAttempts: 3 });
    expect(decide(new Transient('flaky'))).toEqual({ retry: true, delayMs: 5 });
    expect(decide(new Error('permanent'))).toEqual({
      retry: false,
      reason: 'error is not retryable',
    });
  });

  it('does not let retryIf override a NonRetryableError', () => {
    const policy: RetryPolicy = { kind: 'fixed', retryIf: () => true };
    const error = new NonRetryableError('final');
    expect(decideRetry(policy, { attempt: 1, error, maxAttempts: 3 }).retry).toBe(false);
  });
});

describe('validateRetryPolicy', () => {
  function issuesOf(policy: unknown, path?: string): { path: string; message: string }[] {
    try {
      validateRetryPolicy(policy as RetryPolicy, path);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const e = error as ValidationError;
      expect(e.code).toBe('TASK_DEFINITION_INVALID');
      for (const issue of e.issues) expect(e.message).toContain(issue.path);
      return e.issues;
    }
    return [];
  }

  it('accepts good policies of every kind', () => {
    const good: RetryPolicy[] = [
      DEFAULT_RETRY_POLICY,
      { kind: 'fixed' },
      { kind: 'fixed', delayMs: 0, maxAttempts: 1, jitter: 'full' },
      { kind: 'linear', delayMs: 10, incrementMs: 0, jitter: 'equal' },
      { kind: 'exponential', factor: 1.5, maxDelayMs: 0, jitter: 0 },
      { kind: 'exponential', jitter: 1, retryIf: () => true },
      { kind: 'custom', delay: () => 1, jitter: false },
    ];
    for (const policy of good) expect(issuesOf(policy), JSON.stringify(policy)).toEqual([]);
  });

  it.each([
    [{ kind: 'random' }, 'retry.kind'],
    [{ kind: 'fixed', maxAttempts: 0 }, 'retry.maxAttempts'],
    [{ kind: 'fixed', maxAttempts: 2.5 }, 'retry.maxAttempts'],
    [{ kind: 'fixed', maxAttempts: '3' }, 'retry.maxAttempts'],
    [{ kind: 'fixed', delayMs: -1 }, 'retry.delayMs'],
    [{ kind: 'fixed', delayMs: Number.NaN }, 'retry.delayMs'],
    [{ kind: 'fixed', maxDelayMs: Number.POSITIVE_INFINITY }, 'retry.maxDelayMs'],
    [{ kind: 'linear', incrementMs: -5 }, 'retry.incrementMs'],
    [{ kind: 'exponential', factor: -2 }, 'retry.factor'],
    [{ kind: 'exponential', factor: '2' }, 'retry.factor'],
    [{ kind: 'custom' }, 'retry.delay'],
    [{ kind: 'custom', delay: 100 }, 'retry.delay'],
    [{ kind: 'fixed', jitter: 1.5 }, 'retry.jitter'],
    [{ kind: 'fixed', jitter: -0.1 }, 'retry.jitter'],
    [{ kind: 'fixed', jitter: 'half' }, 'retry.jitter'],
    [{ kind: 'fixed', jitter: true }, 'retry.jitter'],
    [{ kind: 'fixed', retryIf: 'TimeoutError' }, 'retry.retryIf'],
  ])('rejects %j naming %s', (policy, path) => {
    expect(issuesOf(policy).map((i) => i.path)).toEqual([path]);
  });

  it('names every bad field at once, under the given path', () => {
    const paths = issuesOf(
      { kind: 'linear', maxAttempts: 0, delayMs: -1, incrementMs: -1, jitter: 2 },
      'tasks.email.retry',
    ).map((i) => i.path);
    expect(paths.sort()).toEqual([
      'tasks.email.retry.delayMs',
      'tasks.email.retry.incrementMs',
      'tasks.email.retry.jitter',
      'tasks.email.retry.maxAttempts',
    ]);
  });
});
