import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/core/closest-name.ts';
import { checkOptions, is, type OptionSpec, optionSpec } from '../../src/core/options-check.ts';
import { thrownRefusal } from '../helpers/error-of.ts';

interface Sample {
  priority?: string;
  maxAttempts?: number;
  timeout?: { softMs?: number; hardMs?: number };
  signal?: AbortSignal;
}

const TIMEOUT = optionSpec<NonNullable<Sample['timeout']>>({
  softMs: is.ms(1),
  hardMs: is.ms(1),
});
const SAMPLE = optionSpec<Sample>({
  priority: is.string,
  maxAttempts: is.whole(1, 1000),
  timeout: TIMEOUT,
  signal: is.signal,
});

function refusal(value: unknown, path = 'options', spec: OptionSpec = SAMPLE) {
  return thrownRefusal(() => checkOptions(spec, value, path));
}

describe('checkOptions', () => {
  it('passes known keys of the right type, undefined values and no options at all', () => {
    const ok = [
      undefined,
      {},
      { priority: 'high', maxAttempts: 3, timeout: { hardMs: 50 } },
      { priority: undefined, timeout: undefined },
      { signal: AbortSignal.abort() },
    ];
    for (const value of ok) expect(() => checkOptions(SAMPLE, value, 'options')).not.toThrow();
  });

  it('refuses a misspelt key, naming its path and the key it was probably meant as', () => {
    const e = refusal({ priorty: 'high' });
    expect(e.code).toBe('OPTIONS_INVALID');
    expect(e.httpStatus).toBe(400);
    expect(e.issues).toEqual([
      { path: 'options.priorty', message: 'unknown option: did you mean "priority"?' },
    ]);
    expect(e.message).toBe(
      'Unknown option "options.priorty": did you mean "priority"? Known here: priority, maxAttempts, timeout, signal.',
    );
  });

  it('names a nested key by its whole path', () => {
    const e = refusal({ timeout: { hard: 5 } });
    expect(e.issues.map((i) => i.path)).toEqual(['options.timeout.hard']);
    expect(e.message).toContain('did you mean "hardMs"?');
  });

  it('refuses a value of the wrong type, saying what it takes and what it got', () => {
    const e = refusal({ maxAttempts: '3', timeout: { hardMs: 1.5 } });
    expect(e.issues).toEqual([
      {
        path: 'options.maxAttempts',
        message: 'expected a whole number from 1 to 1000, got "3" (a string)',
      },
      {
        path: 'options.timeout.hardMs',
        message: 'expected a whole number of milliseconds from 1 to 2147483647, got 1.5 (a number)',
      },
    ]);
    expect(e.message).toContain('Option "options.maxAttempts" must be a whole number');
  });

  it('refuses options that are not an object', () => {
    for (const value of [null, 5, 'high', [1]]) {
      expect(refusal(value).issues).toEqual([
        { path: 'options', message: expect.stringContaining('expected an object') },
      ]);
    }
    expect(refusal({ timeout: 3000 }).issues.map((i) => i.path)).toEqual(['options.timeout']);
  });

  it('names keys alone when the options are the call’s only argument', () => {
    expect(refusal({ priorty: 'high' }, '').issues.map((i) => i.path)).toEqual(['priorty']);
  });

  it('says nothing is meant when no known key is close', () => {
    expect(refusal({ colour: 'red' }).issues).toEqual([
      { path: 'options.colour', message: 'unknown option' },
    ]);
  });

  it('uses a spec’s own hint for a key that belongs elsewhere', () => {
    const spec = SAMPLE.with({}, { client: 'give it to the whole batch' });
    expect(refusal({ client: {} }, 'options', spec).issues).toEqual([
      { path: 'options.client', message: 'unknown option: give it to the whole batch' },
    ]);
    const less = SAMPLE.without(['signal'], 'not here');
    expect(refusal({ signal: AbortSignal.abort() }, 'options', less).issues[0]?.message).toBe(
      'unknown option: not here',
    );
  });

  it('uses the code it is given', () => {
    expect(refusal({ priorty: 1 }, 'options').code).toBe('OPTIONS_INVALID');
    const definition = () => checkOptions(SAMPLE, { priorty: 1 }, '', 'TASK_DEFINITION_INVALID');
    expect(thrownRefusal(definition).code).toBe('TASK_DEFINITION_INVALID');
  });
});

describe('closestName', () => {
  const known = ['priority', 'maxAttempts', 'concurrency', 'hardMs', 'queue', 'delayMs', 'runAt'];

  it.each([
    ['priorty', 'priority'],
    ['prioirty', 'priority'],
    ['concurency', 'concurrency'],
    ['Concurrency', 'concurrency'],
    ['max_attempts', 'maxAttempts'],
    ['maxAttemps', 'maxAttempts'],
    ['hard', 'hardMs'],
    ['queueName', 'queue'],
    ['delay', 'delayMs'],
    ['maxRetries', 'maxAttempts'],
    ['attempts', 'maxAttempts'],
    ['startAfter', 'runAt'],
  ])('reads %s as %s', (given, meant) => {
    expect(closestName(given, known)?.name).toBe(meant);
  });

  it('says that maxRetries counts otherwise than maxAttempts', () => {
    expect(closestName('max_retries', known)).toEqual({
      name: 'maxAttempts',
      note: 'attempts in all, the first run included',
    });
  });

  it.each(['colour', 'x', 'ttl', 'region'])('finds nothing close to %s', (given) => {
    expect(closestName(given, known)).toBeUndefined();
  });
});
