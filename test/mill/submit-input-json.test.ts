/**
 * An input must come back from storage as it was accepted (issue 14): what passes the schema but
 * would read back as something else (a Date as a string, a Map as `{}`, NaN as null) is refused
 * at submit with TASK_INPUT_INVALID naming where, on both stores, and nothing is stored; what a
 * getter, a proxy or a toJSON throws is a coded refusal too, not a raw TypeError.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, type ValidationError } from '../../src/index.ts';
import { forEachBackend, SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';

let ran: unknown;
const dated = defineTask({
  name: 'dated',
  input: z.object({ when: z.date() }),
  run: () => null,
});
const coerced = defineTask({
  name: 'coerced',
  input: z.object({ when: z.coerce.date() }),
  run: (input) => {
    ran = input.when;
    return null;
  },
});
const collections = defineTask({
  name: 'collections',
  input: z.object({ tags: z.set(z.string()).optional(), map: z.map(z.string(), z.number()) }),
  run: () => null,
});
const anything = defineTask({ name: 'anything', input: z.any(), run: () => null });
const tasks = [dated, coerced, collections, anything] as const;

/** The path and message of the one issue a refused submit names. */
async function refusal(promise: Promise<unknown>): Promise<{ path: string; message: string }> {
  const e = (await errorOf(promise)) as ValidationError;
  expect(e.code).toBe('TASK_INPUT_INVALID');
  expect(e.issues).toHaveLength(1);
  return e.issues[0] as { path: string; message: string };
}

forEachBackend((backend) => {
  const open = useMills(backend);

  it('refuses a z.date() input naming the field and what to send instead; stores nothing', async () => {
    const mill = await open(tasks);
    const issue = await refusal(mill.submit('dated', { when: new Date() }));
    expect(issue).toEqual({
      path: 'input.when',
      message:
        'a Date does not survive storage as JSON; send an ISO string and use z.coerce.date() or z.iso.datetime()',
    });
    expect((await mill.list()).tasks).toEqual([]);
  });

  it('takes the ISO string under z.coerce.date(), and the handler gets a Date', async () => {
    const mill = await open(tasks);
    const task = await mill.submit('coerced', { when: '2026-01-02T03:04:05.000Z' });
    await mill.startWorker({ handleSignals: false, pollMs: 20 });
    expect((await mill.wait(task.id, { timeoutMs: 5_000 })).status).toBe('completed');
    expect(ran).toEqual(new Date('2026-01-02T03:04:05.000Z'));
  });

  it('refuses z.map and z.set contents, which JSON would store as {}', async () => {
    const mill = await open(tasks);
    const map = await refusal(mill.submit('collections', { map: new Map([['a', 1]]) }));
    expect(map.path).toBe('input.map');
    expect(map.message).toContain('a Map does not survive storage as JSON (it becomes {})');
    const set = await refusal(mill.submit('collections', { map: new Map(), tags: new Set(['x']) }));
    expect(set.path).toBe('input.tags');
    expect(set.message).toContain('a Set');
    expect((await mill.list()).tasks).toEqual([]);
  });

  it('refuses under z.any() what JSON would change, naming the path', async () => {
    const mill = await open(tasks);
    class Point {
      x = 1;
    }
    const cases: [unknown, string, string][] = [
      [{ f: () => 1 }, 'input.f', 'a function'],
      [{ n: Number.NaN }, 'input.n', 'NaN does not survive'],
      [{ deep: [1, Number.POSITIVE_INFINITY] }, 'input.deep.1', 'Infinity'],
      [{ list: [1, undefined] }, 'input.list.1', 'undefined in an array'],
      [{ s: Symbol('s') }, 'input.s', 'a symbol'],
      [{ p: new Point() }, 'input.p', 'a Point does not survive'],
      [{ b: 10n }, 'input.b', 'a BigInt is not JSON'],
      [{ u: new Uint8Array(2) }, 'input.u', 'a Uint8Array'],
      [Number.NaN, 'input', 'NaN'],
    ];
    for (const [input, path, message] of cases) {
      const issue = await refusal(mill.submit('anything', input));
      expect(issue.path, String(path)).toBe(path);
      expect(issue.message).toContain(message);
    }
    expect((await mill.list()).tasks).toEqual([]);
  });

  it('keeps what JSON keeps: an undefined property is left out, null-prototype objects pass', async () => {
    const mill = await open(tasks);
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const input = { text: 'é', n: -1.5, ok: true, none: null, list: [{ bare }], gone: undefined };
    const task = await mill.submit('anything', input);
    expect((await mill.get(task.id))?.input).toEqual({
      text: 'é',
      n: -1.5,
      ok: true,
      none: null,
      list: [{ bare: { a: 1 } }],
    });
  });

  it('gives TASK_INPUT_INVALID, not a raw TypeError, when a getter, a proxy or toJSON throws', async () => {
    const mill = await open(tasks);
    const getter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new TypeError('getter says no');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new TypeError('proxy says no');
        },
      },
    );
    const withToJson = { toJSON: () => ({}) };
    expect(await refusal(mill.submit('anything', getter))).toEqual({
      path: 'input',
      message: 'could not be read: getter says no',
    });
    expect((await refusal(mill.submit('anything', proxy))).message).toContain('proxy says no');
    expect((await refusal(mill.submit('anything', withToJson))).path).toBe('input.toJSON');
    const batch = await errorOf(mill.submitMany([{ type: 'anything', input: getter }]));
    expect((batch as ValidationError).issues[0]?.path).toBe('items[0].input');
    expect((await mill.list()).tasks).toEqual([]);
  });
});

describe('over HTTP', () => {
  const start = useApi(SQLITE);

  it('an input is JSON already: it is stored and read back exactly as sent', async () => {
    const api = await start(tasks);
    const input = { when: '2026-01-02T03:04:05.000Z', n: 1e300, list: [null, 'ü'] };
    const sent = await api.request('POST', '/api/v1/tasks', { type: 'anything', input });
    expect(sent.status, sent.text).toBe(201);
    const id = (sent.json as { id: string }).id;
    const read = await api.request('GET', `/api/v1/tasks/${id}`);
    expect((read.json as { input: unknown }).input).toEqual(input);
  });
});
