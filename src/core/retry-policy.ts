import { ValidationError } from './errors.ts';

/** What the policy sees of a failed attempt. */
export interface RetryContext {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  error: unknown;
}

interface PolicyBase {
  /** Attempts in all, the first run included. Default 3. */
  maxAttempts?: number;
  /** Upper bound on any one delay. Default 5 minutes. */
  maxDelayMs?: number;
  /**
   * Spread delays so failed tasks do not retry in lockstep. `full`: uniform in [0, delay];
   * `equal`: delay/2 plus uniform in [0, delay/2]; a number 0..1: ± that fraction. Default none.
   */
  jitter?: 'full' | 'equal' | number | false;
  /** Which errors may be retried; the others fail at once. Default: all but NonRetryableError. */
  retryIf?: (error: unknown) => boolean;
}

export type RetryPolicy =
  | (PolicyBase & { kind: 'fixed'; delayMs?: number })
  | (PolicyBase & { kind: 'linear'; delayMs?: number; incrementMs?: number })
  | (PolicyBase & { kind: 'exponential'; delayMs?: number; factor?: number })
  | (PolicyBase & { kind: 'custom'; delay: (ctx: RetryContext) => number });

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  kind: 'exponential',
  maxAttempts: 3,
  delayMs: 1000,
  factor: 2,
  maxDelayMs: 5 * 60_000,
};

const DEFAULT_MAX_DELAY = 5 * 60_000;

/**
 * An error says it is not retryable with `retryable === false` (NonRetryableError does). Input or
 * output that breaks its schema will break it again on the next attempt, so it is not retried.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof ValidationError) return false;
  if (typeof error === 'object' && error !== null && 'retryable' in error) {
    return (error as { retryable: unknown }).retryable !== false;
  }
  return true;
}

export function maxAttemptsOf(policy: RetryPolicy): number {
  return policy.maxAttempts ?? 3;
}

/** The delay before the next attempt, before jitter and cap. */
function baseDelay(policy: RetryPolicy, ctx: RetryContext): number {
  switch (policy.kind) {
    case 'fixed':
      return policy.delayMs ?? 1000;
    case 'linear':
      return (
        (policy.delayMs ?? 1000) +
        (policy.incrementMs ?? policy.delayMs ?? 1000) * (ctx.attempt - 1)
      );
    case 'exponential':
      return (policy.delayMs ?? 1000) * (policy.factor ?? 2) ** (ctx.attempt - 1);
    case 'custom':
      return policy.delay(ctx);
  }
}

function applyJitter(delay: number, jitter: PolicyBase['jitter'], random: () => number): number {
  if (jitter === undefined || jitter === false) return delay;
  if (jitter === 'full') return random() * delay;
  if (jitter === 'equal') return delay / 2 + (random() * delay) / 2;
  return delay * (1 - jitter + 2 * jitter * random());
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Decide what follows a failed attempt. `maxAttempts` is the task's own (a submit may override
 * the policy's); `random` is injectable so jitter is testable.
 */
export function decideRetry(
  policy: RetryPolicy,
  ctx: RetryContext & { maxAttempts: number },
  random: () => number = Math.random,
): RetryDecision {
  const retryable = isRetryableError(ctx.error) && (policy.retryIf?.(ctx.error) ?? true);
  if (!retryable) return { retry: false, reason: 'error is not retryable' };
  if (ctx.attempt >= ctx.maxAttempts) {
    return { retry: false, reason: `attempts used up (${ctx.attempt} of ${ctx.maxAttempts})` };
  }
  const cap = policy.maxDelayMs ?? DEFAULT_MAX_DELAY;
  const raw = baseDelay(policy, ctx);
  // An exponential that overflows is Infinity and a broken custom delay may be NaN: both mean
  // "as long as allowed", which is this policy's cap, not the library default.
  const capped = Number.isNaN(raw) ? cap : Math.min(raw, cap);
  // A ± fraction jitter can stretch a delay past the cap; the cap bounds every delay.
  const jittered = Math.min(applyJitter(Math.max(0, capped), policy.jitter, random), cap);
  return { retry: true, delayMs: Math.max(0, Math.round(jittered)) };
}

/** Check a policy when a task is defined, so a bad one fails at start, not at the first error. */
export function validateRetryPolicy(policy: RetryPolicy, path = 'retry'): void {
  const issues: { path: string; message: string }[] = [];
  const nonNegative = (name: string, value: unknown) => {
    if (
      value !== undefined &&
      (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    ) {
      issues.push({ path: `${path}.${name}`, message: 'expected a finite number ≥ 0' });
    }
  };
  if (!['fixed', 'linear', 'exponential', 'custom'].includes(policy.kind)) {
    issues.push({ path: `${path}.kind`, message: 'expected fixed, linear, exponential or custom' });
  }
  const max = policy.maxAttempts;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    issues.push({ path: `${path}.maxAttempts`, message: 'expected an integer ≥ 1' });
  }
  nonNegative('maxDelayMs', policy.maxDelayMs);
  if (policy.kind !== 'custom') nonNegative('delayMs', policy.delayMs);
  if (policy.kind === 'linear') nonNegative('incrementMs', policy.incrementMs);
  if (policy.kind === 'exponential') nonNegative('factor', policy.factor);
  if (policy.kind === 'custom' && typeof policy.delay !== 'function') {
    issues.push({ path: `${path}.delay`, message: 'expected a function (ctx) => milliseconds' });
  }
  if (policy.retryIf !== undefined && typeof policy.retryIf !== 'function') {
    issues.push({ path: `${path}.retryIf`, message: 'expected a function (error) => boolean' });
  }
  const j = policy.jitter;
  if (
    j !== undefined &&
    j !== false &&
    j !== 'full' &&
    j !== 'equal' &&
    !(typeof j === 'number' && j >= 0 && j <= 1)
  ) {
    issues.push({
      path: `${path}.jitter`,
      message: "expected 'full', 'equal', false or a number 0..1",
    });
  }
  if (issues.length > 0) {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Invalid retry policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`,
      issues,
    );
  }
}
