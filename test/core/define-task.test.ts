import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AnyTaskDefinition,
  DEFAULT_QUEUE,
  defineTask,
  isTaskDefinition,
  parseInput,
  parseOutput,
  taskJsonSchemas,
  timeoutFor,
  validateQueueName,
} from '../../src/core/define-task.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import { thrownRefusal } from '../helpers/error-of.ts';

const signup = defineTask({
  name: 'email.signup',
  description: 'Send the welcome mail',
  input: z.object({
    email: z.email(),
    age: z.number().int().min(13),
    locale: z.string().default('en'),
    address: z.object({ city: z.string() }).optional(),
  }),
  output: z.object({ messageId: z.string() }),
  run: async (input) => ({ messageId: `m-${input.email}` }),
});

const validationError = thrownRefusal;

describe('defineTask: valid definitions', () => {
  it('keeps what was given and fills the defaults', () => {
    expect(isTaskDefinition(signup)).toBe(true);
    expect(signup.name).toBe('email.signup');
    expect(signup.description).toBe('Send the welcome mail');
    expect(signup.priority).toBe(2);
    expect(signup.queue).toBe(DEFAULT_QUEUE);
    expect(signup.retry).toEqual(DEFAULT_RETRY_POLICY);
    expect(signup.timeout).toEqual({});
    expect(signup.outputSchema).toBeDefined();
  });

  it('takes priority, retry, timeout and queue', () => {
    const def = defineTask({
      name: 'report:build_v2',
      input: z.object({}),
      run: () => 1,
      priority: 'critical',
      retry: { kind: 'fixed', delayMs: 50, maxAttempts: 5 },
      timeout: { softMs: 1000, hardMs: 5000 },
      queue: 'reports-eu.1',
    });
    expect(def.priority).toBe(0);
    expect(def.retry).toEqual({ kind: 'fixed', delayMs: 50, maxAttempts: 5 });
    expect(def.timeout).toEqual({ softMs: 1000, hardMs: 5000 });
    expect(def.queue).toBe('reports-eu.1');
    expect(def.outputSchema).toBeUndefined();
  });

  it('is frozen, so a loaded definition cannot be changed under the worker', () => {
    expect(Object.isFrozen(signup)).toBe(true);
  });

  it('is told apart from look-alike objects', () => {
    expect(isTaskDefinition({ name: 'x', run: () => 1, inputSchema: z.object({}) })).toBe(false);
    expect(isTaskDefinition(null)).toBe(false);
    expect(isTaskDefinition('email.signup')).toBe(false);
  });

  it('runs the handler it was given', async () => {
    const out = await signup.run({ email: 'a@b.co', age: 20, locale: 'en' }, {} as never);
    expect(out).toEqual({ messageId: 'm-a@b.co' });
  });
});

describe('defineTask: executors', () => {
  const input = z.object({});
  const run = () => null;

  it('runs inline unless told otherwise', () => {
    expect(signup.executor).toBe('inline');
  });

  it('remembers the module that defined it, for thread and process pools to import', () => {
    const def = defineTask({ name: 'hash', input, run, executor: 'thread' });
    expect(def.executor).toBe('thread');
    expect(def.module).toBe(import.meta.url);
  });

  it('takes the module it is given', () => {
    const url = new URL('./elsewhere.ts', import.meta.url);
    expect(defineTask({ name: 'a', input, run, executor: 'process', module: url }).module).toBe(
      url.href,
    );
  });

  it('refuses a thread task defined where there is no module file', () => {
    // Code made by `new Function` has no file: a pool could not import it.
    const define = new Function('defineTask', 'options', 'return defineTask(options);') as (
      d: typeof defineTask,
      o: Parameters<typeof defineTask>[0],
    ) => unknown;
    const e = validationError(() =>
      define(defineTask, { name: 'a', input, run, executor: 'thread' }),
    );
    expect(e.code).toBe('TASK_DEFINITION_INVALID');
    expect(e.message).toMatch(/module: import\.meta\.url/);
  });
});

describe('defineTask: bad definitions fail when defined', () => {
  const input = z.object({});
  const run = () => null;

  it.each([
    ['an empty name', { name: '', input, run }, 'name'],
    ['a name with a space', { name: 'send email', input, run }, 'name'],
    ['a name with a slash', { name: 'a/b', input, run }, 'name'],
    ['a name starting with a dot', { name: '.hidden', input, run }, 'name'],
    ['a 129-character name', { name: 'x'.repeat(129), input, run }, 'name'],
    ['a name that is not a string', { name: 42, input, run }, 'name'],
    ['a missing run', { name: 'a', input }, 'run'],
    ['a run that is not a function', { name: 'a', input, run: 'go' }, 'run'],
    ['a missing input schema', { name: 'a', run }, 'input'],
    ['a JSON Schema for input', { name: 'a', input: { type: 'object' }, run }, 'input'],
    ['an output that is not zod', { name: 'a', input, run, output: { type: 'string' } }, 'output'],
    ['a hard timeout of 0', { name: 'a', input, run, timeout: { hardMs: 0 } }, 'timeout.hardMs'],
    [
      'a fractional soft timeout',
      { name: 'a', input, run, timeout: { softMs: 1.5 } },
      'timeout.softMs',
    ],
    [
      'a negative hard timeout',
      { name: 'a', input, run, timeout: { hardMs: -1 } },
      'timeout.hardMs',
    ],
    ['a timeout given as a bare number', { name: 'a', input, run, timeout: 5000 }, 'timeout'],
    [
      'an unknown retry kind',
      { name: 'a', input, run, retry: { kind: 'sometimes' } },
      'retry.kind',
    ],
    ['an unknown executor', { name: 'a', input, run, executor: 'gpu' }, 'executor'],
    ['a module that is not a file URL', { name: 'a', input, run, module: 'tasks.ts' }, 'module'],
    [
      'zero max attempts',
      { name: 'a', input, run, retry: { kind: 'fixed', maxAttempts: 0 } },
      'retry.maxAttempts',
    ],
  ])('rejects %s with TASK_DEFINITION_INVALID naming the field', (_, options, path) => {
    const e = validationError(() =>
      defineTask(options as unknown as Parameters<typeof defineTask>[0]),
    );
    expect(e.code).toBe('TASK_DEFINITION_INVALID');
    expect(e.issues.map((i) => i.path)).toContain(path);
  });

  it('rejects a bad queue name with QUEUE_NAME_INVALID', () => {
    const e = validationError(() => defineTask({ name: 'a', input, run, queue: 'has space' }));
    expect(e.code).toBe('QUEUE_NAME_INVALID');
    expect(e.issues).toEqual([{ path: 'queue', message: expect.any(String) }]);
    expect(() => validateQueueName('ok_queue-1')).not.toThrow();
  });

  it('rejects a bad priority with PRIORITY_INVALID', () => {
    const e = validationError(() =>
      defineTask({ name: 'a', input, run, priority: 'urgent' as never }),
    );
    expect(e.code).toBe('PRIORITY_INVALID');
  });
});

describe('timeoutFor', () => {
  const timed = defineTask({
    name: 'timed',
    input: z.object({}),
    run: () => 1,
    timeout: { softMs: 1_000, hardMs: 5_000 },
  });

  it("takes each limit a task was given in place of its type's, and the type's for the rest", () => {
    expect(timeoutFor(timed, { timeout: null })).toEqual({ softMs: 1_000, hardMs: 5_000 });
    expect(timeoutFor(timed, { timeout: { hardMs: 200 } })).toEqual({ softMs: 1_000, hardMs: 200 });
    expect(timeoutFor(signup, { timeout: { softMs: 10 } })).toEqual({ softMs: 10 });
  });
});

describe('parseInput', () => {
  it('returns the parsed input with zod defaults applied', () => {
    expect(parseInput(signup, { email: 'ann@example.com', age: 30 })).toEqual({
      email: 'ann@example.com',
      age: 30,
      locale: 'en',
    });
  });

  it('names every bad field with its path, in the issues and the message', () => {
    const e = validationError(() =>
      parseInput(signup, { email: 'not-an-email', age: 'ten', address: { city: 7 } }),
    );
    expect(e.code).toBe('TASK_INPUT_INVALID');
    expect(e.httpStatus).toBe(400);
    expect(e.issues.map((i) => i.path).sort()).toEqual([
      'input.address.city',
      'input.age',
      'input.email',
    ]);
    for (const issue of e.issues) {
      expect(issue.message).not.toBe('');
      expect(e.message).toContain(`${issue.path}: `);
    }
    expect(e.message).toContain('"email.signup"');
    expect(e.details).toMatchObject({ type: 'email.signup', issues: e.issues });
  });

  it('reports a missing required field by its path', () => {
    const e = validationError(() => parseInput(signup, { email: 'ann@example.com' }));
    expect(e.issues.map((i) => i.path)).toEqual(['input.age']);
  });

  it('reports input of the wrong shape at input itself', () => {
    const e = validationError(() => parseInput(signup, 'ann@example.com'));
    expect(e.issues.map((i) => i.path)).toEqual(['input']);
  });

  it('applies transforms', () => {
    const def = defineTask({
      name: 'trim',
      input: z.object({ s: z.string().trim() }),
      run: (input) => input.s,
    });
    expect(parseInput(def, { s: '  x  ' })).toEqual({ s: 'x' });
  });
});

describe('parseOutput', () => {
  it('returns the output when it fits the schema', () => {
    expect(parseOutput(signup, { messageId: 'm1' })).toEqual({ messageId: 'm1' });
  });

  it('rejects output that does not fit, naming the field', () => {
    const e = validationError(() => parseOutput(signup, { messageId: 1 }));
    expect(e.code).toBe('TASK_OUTPUT_INVALID');
    expect(e.issues.map((i) => i.path)).toEqual(['output.messageId']);
    expect(e.details).toMatchObject({ type: 'email.signup' });
  });

  it('passes anything through when the task has no output schema', () => {
    const def: AnyTaskDefinition = defineTask({ name: 'free', input: z.object({}), run: () => 1 });
    const value = { anything: [1, 'two'] };
    expect(parseOutput(def, value)).toBe(value);
  });
});

describe('taskJsonSchemas', () => {
  it('describes the input as the caller writes it', () => {
    const { input } = taskJsonSchemas(signup) as {
      input: {
        type: string;
        properties: Record<'email' | 'age' | 'locale' | 'address', Record<string, unknown>>;
        required: string[];
      };
    };
    expect(input.type).toBe('object');
    expect(Object.keys(input.properties).sort()).toEqual(['address', 'age', 'email', 'locale']);
    // A field with a default may be left out, so only email and age are required.
    expect([...input.required].sort()).toEqual(['age', 'email']);
    expect(input.properties.email).toMatchObject({ type: 'string', format: 'email' });
    expect(input.properties.age).toMatchObject({ type: 'integer', minimum: 13 });
    expect(input.properties.locale).toMatchObject({ type: 'string', default: 'en' });
  });

  it('describes the output, or gives null without an output schema', () => {
    const { output } = taskJsonSchemas(signup) as {
      output: { properties: Record<string, unknown>; required: string[] };
    };
    expect(Object.keys(output.properties)).toEqual(['messageId']);
    expect(output.required).toEqual(['messageId']);
    const def = defineTask({ name: 'free', input: z.object({}), run: () => 1 });
    expect(taskJsonSchemas(def).output).toBeNull();
  });

  it('does not throw on schemas JSON Schema cannot express', () => {
    const def = defineTask({
      name: 'dated',
      input: z.object({ when: z.date(), n: z.bigint() }),
      run: () => 1,
    });
    expect(() => taskJsonSchemas(def)).not.toThrow();
  });
});
