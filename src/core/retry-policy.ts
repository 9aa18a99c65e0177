import { ValidationError } from './errors.ts';
import { checkOptions, is, OptionSpec, valueRule } from './options-check.ts';

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

/** `kind` may be left out: it is then `exponential`, as the default policy is. */
export type RetryPolicy =
  | (PolicyBase & { kind: 'fixed'; delayMs?: number })
  | (PolicyBase & { kind: 'linear'; delayMs?: number; incrementMs?: number })
  | (PolicyBase & { kind?: 'exponential'; delayMs?: number; factor?: number })
  | (PolicyBase & { kind: 'custom'; delay: (ctx: RetryContext) => number });

export type RetryKind = NonNullable<RetryPolicy['kind']>;

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
  if (policy.kind === 'custom') return policy.delay(ctx);
  const delayMs = policy.delayMs ?? 1000;
  if (policy.kind === 'fixed') return delayMs;
  if (policy.kind === 'linear')
    return delayMs + (policy.incrementMs ?? delayMs) * (ctx.attempt - 1);
  return delayMs * (policy.factor ?? 2) ** (ctx.attempt - 1);
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

const DELAY_MS = is.number(0, ' of milliseconds');

/** The keys every kind of policy takes. */
const COMMON = {
  kind: is.oneOf('fixed', 'linear', 'exponential', 'custom'),
  maxAttempts: is.whole(1),
  maxDelayMs: DELAY_MS,
  jitter: valueRule(
    "'full', 'equal', false or a number 0..1",
    (j) =>
      j === false || j === 'full' || j === 'equal' || (typeof j === 'number' && j >= 0 && j <= 1),
  ),
  retryIf: is.function,
};

/** The keys of each kind beside the common ones. */
const OWN_KEYS = {
  fixed: { delayMs: DELAY_MS },
  linear: { delayMs: DELAY_MS, incrementMs: DELAY_MS },
  exponential: { delayMs: DELAY_MS, factor: is.number(0) },
  custom: { delay: is.function },
} satisfies Record<RetryKind, object>;

const KINDS = Object.keys(OWN_KEYS) as RetryKind[];

/** A key that another kind takes is refused naming that kind, rather than as a typo. */
function specOf(kind: RetryKind): OptionSpec {
  const hints: Record<string, string> = {};
  for (const other of KINDS) {
    for (const key of Object.keys(OWN_KEYS[other])) {
      if (!(key in OWN_KEYS[kind]))
        hints[key] ??= `"${key}" belongs to kind "${other}"; this policy's kind is "${kind}"`;
    }
  }
  return new OptionSpec({ ...COMMON, ...OWN_KEYS[kind] }, hints);
}

const SPECS = new Map(KINDS.map((kind) => [kind, specOf(kind)] as const));
/** For a policy whose kind is not one of them: only the kind is then refused. */
const ANY_KIND = new OptionSpec({
  ...COMMON,
  ...Object.assign({}, ...Object.values(OWN_KEYS)),
});

/**
 * Check a policy when a task is defined, so a bad one fails at start, not at the first error;
 * returns it with its kind (`exponential` when not given, as the default policy's).
 */
export function validateRetryPolicy(policy: RetryPolicy, path = 'retry'): RetryPolicy {
  const given = policy as { kind?: unknown } | null;
  const kind =
    typeof given === 'object' && given !== null ? (given.kind ?? 'exponential') : undefined;
  const spec = SPECS.get(kind as RetryKind) ?? ANY_KIND;
  checkOptions(spec, policy ?? null, path, 'TASK_DEFINITION_INVALID');
  if (kind === 'custom' && typeof (policy as { delay?: unknown }).delay !== 'function') {
    throw new ValidationError(
      'TASK_DEFINITION_INVALID',
      `Invalid retry policy: ${path}.delay: a custom policy needs delay: (ctx) => milliseconds.`,
      [{ path: `${path}.delay`, message: 'expected a function (ctx) => milliseconds' }],
    );
  }
  return policy.kind === undefined ? { ...policy, kind: 'exponential' } : policy;
}
