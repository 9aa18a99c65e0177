/**
 * What a submit does with the input beyond its schema (issue 13): an input larger than 1 MiB as
 * JSON is refused before anything is stored, one that is not JSON at all too, and keys the
 * schema does not name follow the schema's own rule.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, ValidationError } from '../../src/index.ts';
import { SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

const LIMIT = 1024 * 1024;
const blob = defineTask({
  name: 'blob',
  input: z.object({ text: z.string() }),
  run: () => null,
});
const anything = defineTask({ name: 'anything', input: z.unknown(), run: () => null });

const seen: Record<string, unknown> = {};
const handler = (name: string) => (input: unknown) => {
  seen[name] = input;
  return null;
};
const strip = defineTask({
  name: 'strip',
  input: z.object({ n: z.number() }),
  run: handler('strip'),
});
const strict = defineTask({
  name: 'strict',
  input: z.strictObject({ n: z.number() }),
  run: handler('strict'),
});
const loose = defineTask({
  name: 'loose',
  input: z.looseObject({ n: z.number() }),
  run: handler('loose'),
});
const tasks = [blob, anything, strip, strict, loose] as const;

/** `{"text":"…"}` of exactly `bytes` bytes of UTF-8, the text made of `char`. */
function inputOf(bytes: number, char = 'a'): { text: string } {
  const overhead = '{"text":""}'.length;
  const width = Buffer.byteLength(char);
  return { text: char.repeat(Math.floor((bytes - overhead) / width)) };
}

describe('the input size limit', () => {
  const open = useMills(SQLITE);

  it('takes an input of exactly 1 MiB as JSON', async () => {
    const mill = await open(tasks);
    const input = inputOf(LIMIT);
    expect(Buffer.byteLength(JSON.stringify(input))).toBe(LIMIT);
    expect((await mill.submit('blob', input)).input).toEqual(input);
  });

  it('refuses one byte more, saying the size and the limit, and stores nothing', async () => {
    const mill = await open(tasks);
    const e = await errorOf(mill.submit('blob', inputOf(LIMIT + 1)));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({
      code: 'TASK_INPUT_TOO_LARGE',
      httpStatus: 413,
      details: {
        type: 'blob',
        bytes: LIMIT + 1,
        limit: LIMIT,
        issues: [{ path: 'input', message: `${LIMIT + 1} bytes, over the limit of ${LIMIT}` }],
      },
    });
    expect(e.message).toContain(`is ${LIMIT + 1} bytes as JSON, over the limit of ${LIMIT} bytes`);
    expect((await mill.list()).tasks).toEqual([]);
  });

  it('counts bytes of UTF-8, not characters', async () => {
    const mill = await open(tasks);
    const wide = inputOf(LIMIT + 3, '€');
    expect(Buffer.byteLength(JSON.stringify(wide))).toBe(LIMIT + 1);
    expect(JSON.stringify(wide).length).toBeLessThan(LIMIT / 2);
    expect((await errorOf(mill.submit('blob', wide))).code).toBe('TASK_INPUT_TOO_LARGE');
    await mill.submit('blob', inputOf(LIMIT, '€'));
  });

  it('names the item of a batch, and the batch stores nothing', async () => {
    const mill = await open(tasks);
    const e = await errorOf(
      mill.submitMany([
        { type: 'blob', input: { text: 'fine' } },
        { type: 'blob', input: inputOf(2 * LIMIT) },
      ]),
    );
    expect(e.code).toBe('TASK_INPUT_TOO_LARGE');
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['items[1].input']);
    expect((await mill.list()).tasks).toEqual([]);
  });

  it('refuses an input that is not JSON with TASK_INPUT_INVALID', async () => {
    const mill = await open(tasks);
    const e = await errorOf(mill.submit('anything', { big: 10n }));
    expect(e.code).toBe('TASK_INPUT_INVALID');
    expect(e.message).toContain('is not JSON');
  });
});

describe("input keys the schema does not name follow the schema's rule", () => {
  const open = useMills(SQLITE);

  it('z.object strips them for the handler, z.strictObject refuses them, z.looseObject keeps them', async () => {
    const mill = await open(tasks);
    const extra = { n: 1, note: 'not in the schema' };
    const refused = await errorOf(mill.submit('strict', extra));
    expect(refused).toMatchObject({ code: 'TASK_INPUT_INVALID' });
    expect((refused as ValidationError).issues).toEqual([
      { path: 'input', message: expect.stringContaining('note') },
    ]);
    const stripped = await mill.submit('strip', extra);
    const kept = await mill.submit('loose', extra);
    // The task keeps the input as it was submitted; the handler gets it as the schema parses it.
    expect(stripped.input).toEqual(extra);
    await mill.startWorker({ handleSignals: false, pollMs: 20 });
    await mill.wait(stripped.id, { timeoutMs: 5_000 });
    await mill.wait(kept.id, { timeoutMs: 5_000 });
    expect(seen['strip']).toEqual({ n: 1 });
    expect(seen['loose']).toEqual(extra);
    expect(seen['strict']).toBeUndefined();
  });
});
