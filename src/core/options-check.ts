/**
 * Run-time checks of the options objects the public API takes: a key the call does not know, or
 * a value of the wrong type, is refused with a ValidationError that names the key by its path
 * (`options.timeout.hardMs`) and, for a typo, the key that was probably meant. Without it a
 * misspelt option (`priorty`, `concurency`) was accepted and did nothing.
 *
 * Written by hand rather than with zod's strict objects: zod says "Unrecognized key" with no
 * suggestion, and builds a parsed copy on every call, while `submit` runs this tens of thousands
 * of times a second. Here the passing case is a `for…in` over the given keys with a Map lookup and
 * a type test each, and allocates nothing; the error is built only once a check has failed.
 *
 * A spec checks types and, where no other check of the call does, simple ranges; what needs
 * more (a priority's names, a queue's characters) stays with the code that uses the value.
 */
import { closestName } from './closest-name.ts';
import type { ErrorCode } from './error-codes.ts';
import { type FieldIssue, ValidationError } from './errors.ts';

/** The longest a timer waits (2^31 - 1 ms, about 24.8 days): past it Node fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** What one option takes: a test, and the words an error uses for it. */
export interface ValueRule {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
}

export type OptionRule = ValueRule | OptionSpec;

/** Every key an options object may have, with the rule for its value. An absent key and one set
 * to `undefined` are alike: both leave the default. */
export class OptionSpec {
  readonly rules: ReadonlyMap<string, OptionRule>;
  /** What to say of a key that this spec does not take but a neighbouring one does (a retry
   * policy of another kind). */
  readonly hints: ReadonlyMap<string, string>;
  /** Each key's test, a nested spec's included: what the passing case runs, one call a key. */
  readonly tests: ReadonlyMap<string, (value: unknown) => boolean>;

  constructor(
    rules: Readonly<Record<string, OptionRule>>,
    hints: Readonly<Record<string, string>> = {},
  ) {
    this.rules = new Map(Object.entries(rules));
    this.hints = new Map(Object.entries(hints));
    this.tests = new Map(
      [...this.rules].map(([key, rule]) => [
        key,
        rule instanceof OptionSpec ? (v: unknown) => fits(rule, v) : rule.test,
      ]),
    );
  }

  /** This spec less some keys, each refused with `hint`. */
  without(keys: readonly string[], hint: string): OptionSpec {
    const rules = Object.fromEntries([...this.rules].filter(([key]) => !keys.includes(key)));
    const hints = Object.fromEntries(keys.map((key) => [key, hint]));
    return new OptionSpec(rules, { ...Object.fromEntries(this.hints), ...hints });
  }

  /** This spec with more keys (a call that takes what another does, and more), or more hints. */
  with(
    rules: Readonly<Record<string, OptionRule>>,
    hints: Readonly<Record<string, string>> = {},
  ): OptionSpec {
    return new OptionSpec(
      { ...Object.fromEntries(this.rules), ...rules },
      { ...Object.fromEntries(this.hints), ...hints },
    );
  }
}

/**
 * A spec for the options type `T`: the compiler insists on a rule for each of its keys and for
 * nothing else, so the spec cannot drift from the type it checks.
 */
export function optionSpec<T extends object>(
  rules: { readonly [K in keyof T]-?: OptionRule },
  hints?: Readonly<Record<string, string>>,
): OptionSpec {
  return new OptionSpec(rules as Readonly<Record<string, OptionRule>>, hints);
}

/** A rule of its own, for what the ones of `is` do not say. */
export const valueRule = (expected: string, test: (value: unknown) => boolean): ValueRule => ({
  expected,
  test,
});

const isObject = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function whole(min: number, max = Number.MAX_SAFE_INTEGER, unit = ''): ValueRule {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return valueRule(
    `a whole number${unit} ${range}`,
    (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
  );
}

/** The rules options are made of. */
export const is = {
  any: valueRule('anything', () => true),
  string: valueRule('a string', (v) => typeof v === 'string'),
  boolean: valueRule('true or false', (v) => typeof v === 'boolean'),
  function: valueRule('a function', (v) => typeof v === 'function'),
  object: valueRule('an object', isObject),
  array: valueRule('an array', Array.isArray),
  signal: valueRule('an AbortSignal', (v) => v instanceof AbortSignal),
  time: valueRule(
    'a Date or milliseconds since the epoch',
    (v) =>
      (v instanceof Date && !Number.isNaN(v.getTime())) ||
      (typeof v === 'number' && Number.isFinite(v)),
  ),
  /** A finite number, at least `min`. */
  number: (min: number, unit = ''): ValueRule =>
    valueRule(
      `a number${unit} ≥ ${min}`,
      (v) => typeof v === 'number' && Number.isFinite(v) && v >= min,
    ),
  /** A whole number from `min` to `max`. */
  whole,
  /** A number > 0. */
  positive: (unit = ''): ValueRule =>
    valueRule(`a number${unit} > 0`, (v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
  /** Whole milliseconds from `min` up to what a timer can wait. */
  ms: (min: number): ValueRule => whole(min, MAX_TIMER_MS, ' of milliseconds'),
  /** One of these values. */
  oneOf: (...values: readonly unknown[]): ValueRule =>
    valueRule(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) =>
      values.includes(v),
    ),
  either: (a: ValueRule, b: ValueRule): ValueRule =>
    valueRule(`${a.expected} or ${b.expected}`, (v) => a.test(v) || b.test(v)),
};

function fits(spec: OptionSpec, value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) {
    const test = spec.tests.get(key);
    if (test === undefined) return false;
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && !test(v)) return false;
  }
  return true;
}

/** A value as an error shows it: short, with its type. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return value instanceof Date ? 'an invalid Date' : 'an object';
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  const text = typeof value === 'symbol' ? value.toString() : JSON.stringify(value);
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `${cut} (a ${typeof value})`;
}

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

interface Problem {
  issue: FieldIssue;
  /** The sentence the error's message gives it. */
  sentence: string;
}

function unknownKey(spec: OptionSpec, key: string, path: string): Problem {
  const known = [...spec.rules.keys()];
  const hint = spec.hints.get(key);
  const near = hint === undefined ? closestName(key, known) : undefined;
  const why =
    hint ??
    (near ? `did you mean "${near.name}"${near.note ? ` (${near.note})` : ''}?` : undefined);
  const where = at(path, key);
  return {
    issue: { path: where, message: why ? `unknown option: ${why}` : 'unknown option' },
    sentence: `Unknown option "${where}"${why ? `: ${why}` : '.'} Known here: ${known.join(', ')}.`,
  };
}

function collect(spec: OptionSpec, value: unknown, path: string, problems: Problem[]): void {
  if (!isObject(value)) {
    const where = path || 'options';
    problems.push({
      issue: { path: where, message: `expected an object, got ${shown(value)}` },
      sentence: `"${where}" must be an object, not ${shown(value)}.`,
    });
    return;
  }
  for (const key in value) {
    const rule = spec.rules.get(key);
    if (rule === undefined) {
      problems.push(unknownKey(spec, key, path));
      continue;
    }
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (rule instanceof OptionSpec) {
      collect(rule, v, at(path, key), problems);
    } else if (!rule.test(v)) {
      const where = at(path, key);
      problems.push({
        issue: { path: where, message: `expected ${rule.expected}, got ${shown(v)}` },
        sentence: `Option "${where}" must be ${rule.expected}, not ${shown(v)}.`,
      });
    }
  }
}

/**
 * Refuse `value` unless every key is one `spec` knows and every value fits its rule; undefined
 * passes (no options given). `path` names the object in the call (`options`, `items[2].options`;
 * empty when it is the call's only argument, so keys are named alone), and `code` is the error's
 * (OPTIONS_INVALID, but a task definition's is TASK_DEFINITION_INVALID).
 */
export function checkOptions(
  spec: OptionSpec,
  value: unknown,
  path = '',
  code: ErrorCode = 'OPTIONS_INVALID',
): void {
  if (value === undefined || fits(spec, value)) return;
  const problems: Problem[] = [];
  collect(spec, value, path, problems);
  throw new ValidationError(
    code,
    problems.map((p) => p.sentence).join(' '),
    problems.map((p) => p.issue),
  );
}
