import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/error-codes.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

const DOC = 'docs/reference/errors.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

/** The rows of the codes table: `| \`CODE\` | status | meaning | what to do |`. */
function documentedRows(): { code: string; httpStatus: number; meaning: string; todo: string }[] {
  return doc
    .split('\n')
    .filter((line) => /^\|\s*`[A-Z0-9_]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line
        .replace(/^\|/, '')
        .replace(/\|\s*$/, '')
        .split(' | ')
        .map((c) => c.trim());
      return {
        code: (cells[0] ?? '').replaceAll('`', ''),
        httpStatus: Number(cells[1]),
        meaning: cells[2] ?? '',
        todo: cells[3] ?? '',
      };
    });
}

describe(DOC, () => {
  const rows = documentedRows();
  const documented = rows.map((r) => r.code);
  const registered = Object.keys(ERROR_CODES);

  it('has a table row per code', () => {
    expect(rows.length).toBeGreaterThan(0);
    const repeated = documented.filter((code, i) => documented.indexOf(code) !== i);
    expect(repeated, 'codes listed twice').toEqual([]);
  });

  it('documents every code in the registry', () => {
    const missing = registered.filter((code) => !documented.includes(code));
    expect(missing, `codes in src/core/error-codes.ts missing from ${DOC}`).toEqual([]);
  });

  it('lists only codes that exist in the registry', () => {
    const unknown = documented.filter((code) => !registered.includes(code));
    expect(unknown, `codes in ${DOC} that src/core/error-codes.ts lacks`).toEqual([]);
  });

  it('gives each code the HTTP status the API answers with', () => {
    const wrong = rows
      .filter((r) => r.code in ERROR_CODES)
      .filter((r) => r.httpStatus !== ERROR_CODES[r.code as keyof typeof ERROR_CODES].httpStatus)
      .map((r) => `${r.code}: doc says ${r.httpStatus}`);
    expect(wrong).toEqual([]);
  });

  it('says for each code what it means and what to do', () => {
    const thin = rows.filter((r) => r.meaning.length < 10 || r.todo.length < 5).map((r) => r.code);
    expect(thin).toEqual([]);
  });
});

describe(`${DOC}, against a real server`, () => {
  const api = useApi(SQLITE);

  it('gives the shape of the error body the API answers with', async () => {
    const shape = /the body `(\{ "error": \{[^`]*\} \})`/.exec(doc)?.[1];
    expect(shape, `${DOC} states the error body`).toBeDefined();
    const keys = [...(shape ?? '').matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const { request } = await api([]);
    const answer = await request('GET', '/api/v1/tasks/not-a-task-id-at-all');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const body = answer.json as { error: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['error']);
    // Every key the doc names, and nothing it does not (details appears when there are any).
    expect(keys).toEqual(['error', 'code', 'message', 'details', 'requestId']);
    expect(Object.keys(body.error).every((k) => keys.includes(k))).toBe(true);
    expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});
