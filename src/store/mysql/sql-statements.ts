/**
 * A migration file's text cut into its statements, so that each runs (and fails) on its own:
 * MySQL commits every DDL statement by itself, and a migration that was cut off halfway is
 * resumed statement by statement (migrate.ts). Cuts at `;` outside quotes, backquotes and
 * comments; a piece holding only comments and blanks is dropped.
 */

type Mode = 'code' | 'single' | 'double' | 'backtick' | 'line' | 'block';

const QUOTES: Record<string, Mode> = { "'": 'single', '"': 'double', '`': 'backtick' };
const CLOSERS: Partial<Record<Mode, string>> = { single: "'", double: '"', backtick: '`' };

/** Whether `text` from `i` opens a comment: `-- ` (MySQL wants the blank), `#` or a block. */
function commentAt(text: string, i: number): Mode | null {
  const c = text[i];
  if (c === '#') return 'line';
  if (c === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' ')) return 'line';
  if (c === '/' && text[i + 1] === '*') return 'block';
  return null;
}

function hasCode(piece: string): boolean {
  let mode: Mode = 'code';
  for (let i = 0; i < piece.length; i++) {
    if (mode === 'line') {
      if (piece[i] === '\n') mode = 'code';
    } else if (mode === 'block') {
      if (piece[i] === '*' && piece[i + 1] === '/') {
        mode = 'code';
        i++;
      }
    } else {
      const comment = commentAt(piece, i);
      if (comment !== null) mode = comment;
      else if (!/\s/.test(piece[i] ?? '')) return true;
    }
  }
  return false;
}

export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let mode: Mode = 'code';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (mode === 'code') {
      const comment = commentAt(text, i);
      if (comment !== null) mode = comment;
      else if (QUOTES[c] !== undefined) mode = QUOTES[c];
      else if (c === ';') {
        statements.push(text.slice(start, i));
        start = i + 1;
      }
    } else if (mode === 'line') {
      if (c === '\n') mode = 'code';
    } else if (mode === 'block') {
      if (c === '*' && text[i + 1] === '/') {
        mode = 'code';
        i++;
      }
    } else if (c === '\\' && mode !== 'backtick') {
      i++; // an escaped character inside a string, a quote included
    } else if (c === CLOSERS[mode]) {
      // A doubled quote is a quote inside the string, not its end.
      if (text[i + 1] === c) i++;
      else mode = 'code';
    }
  }
  statements.push(text.slice(start));
  return statements.filter(hasCode).map((s) => s.trim());
}
