import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForError } from '../../src/cli/exit-codes.ts';
import { ERROR_CODES, type ErrorCode } from '../../src/core/error-codes.ts';

const DOC = 'docs/reference/cli.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

/** The rows of the exit-code table: `| 5 | meaning | \`CODE\`, … |`, codes by exit code. */
function documentedExitCodes(): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const line of doc.split('\n')) {
    const match = /^\| (\d+) \| .* \|\s*(.*?)\s*\|$/.exec(line);
    if (!match) continue;
    rows.set(
      Number(match[1]),
      [...(match[2] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] as string),
    );
  }
  return rows;
}

describe(`${DOC}: errors and exit codes`, () => {
  const rows = documentedExitCodes();

  it('has a row for every exit code the CLI uses', () => {
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(
      Object.values(EXIT).sort((a, b) => a - b),
    );
  });

  it('lists every error code in the row of the exit code it gets, and nowhere else', () => {
    const wrong = (Object.keys(ERROR_CODES) as ErrorCode[])
      .map((code) => ({ code, exit: exitCodeForError(code) }))
      .filter(({ code, exit }) => {
        const where = [...rows].filter(([, codes]) => codes.includes(code)).map(([n]) => n);
        return where.length !== 1 || where[0] !== exit;
      })
      .map(({ code, exit }) => `${code} (exits ${exit})`);
    expect(wrong, `codes missing from or misplaced in the table of ${DOC}`).toEqual([]);
  });
});
