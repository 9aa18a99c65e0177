/**
 * The opaque keyset cursor of `taskList`, shared by every adapter so a cursor means the same
 * everywhere: the sort it was made for, and the sort value and id of the last row returned.
 */
import { ValidationError } from '../core/errors.ts';
import type { SortField } from './contract.ts';

export interface Cursor {
  s: SortField;
  o: 'asc' | 'desc';
  v: number;
  i: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function cursorInvalid(why: string): ValidationError {
  return new ValidationError(
    'CURSOR_INVALID',
    `The cursor ${why}; pass the nextCursor of the previous page unchanged, with the same sort and order.`,
    [{ path: 'cursor', message: why }],
  );
}

export function decodeCursor(text: string, sort: SortField, order: 'asc' | 'desc'): Cursor {
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw cursorInvalid('does not decode');
  }
  if (typeof c !== 'object' || c === null || typeof c.v !== 'number' || typeof c.i !== 'string') {
    throw cursorInvalid('does not decode');
  }
  if (c.s !== sort || c.o !== order) {
    throw cursorInvalid(`was made for sort ${String(c.s)} ${String(c.o)}, not ${sort} ${order}`);
  }
  return c as Cursor;
}

/** The cursor a call passed, decoded; null on the first page. */
export function cursorAfter(
  cursor: string | null | undefined,
  sort: SortField,
  order: 'asc' | 'desc',
): Cursor | null {
  return cursor === undefined || cursor === null || cursor === ''
    ? null
    : decodeCursor(cursor, sort, order);
}
