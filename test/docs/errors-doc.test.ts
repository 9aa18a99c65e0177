import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/error-codes.ts';

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
