/** Deeper is refused: no real input nests so far, and past their own limits (SQLite's JSON
 * functions stop at 1000 levels) the stores and recursive code would fail unexpectedly. */
export const MAX_DEPTH = 100;

/** An unpaired UTF-16 surrogate: JSON.parse makes one from `"\ud800"`, PostgreSQL's JSON
 * refuses it, and SQLite would keep a string that is not Unicode. */
const LONE_SURROGATE = /\p{Cs}/u;

function badString(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/** Why a value that is not a string, a plain object or an array would not come back from its
 * JSON text as it went in; null when it would. Kept to typeof tests and one prototype read, as
 * it runs on every submit. */
function lostAsJson(v: unknown, inArray: boolean): string | null {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? null : `${v} does not survive storage as JSON (it becomes null)`;
    case 'bigint':
      return 'a BigInt is not JSON; send it as a string or a number';
    case 'function':
    case 'symbol':
      return `a ${typeof v} does not survive storage as JSON`;
    // An undefined property is left out, which reads back the same; in an array it becomes null.
    case 'undefined':
      return inArray
        ? 'undefined in an array does not survive storage as JSON (it becomes null)'
        : null;
    case 'object': {
      if (v === null || Array.isArray(v)) return null;
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) return null;
      if (v instanceof Date) {
        return 'a Date does not survive storage as JSON; send an ISO string and use z.coerce.date() or z.iso.datetime()';
      }
      if (v instanceof Map || v instanceof Set) {
        const kind = v instanceof Map ? 'Map' : 'Set';
        return `a ${kind} does not survive storage as JSON (it becomes {}); send an array instead`;
      }
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      const what = typeof name === 'string' && name ? `a ${name}` : 'an object with a prototype';
      return `${what} does not survive storage as JSON; send a plain object or an array`;
    }
    default:
      return null;
  }
}

/**
 * The first thing in a value (a task's input, a request body) that taskmill refuses to store: a
 * key that could poison an object's prototype, a NUL character (PostgreSQL cannot keep one in
 * text or JSON, so no store takes it), a lone surrogate, nesting deeper than MAX_DEPTH, and with
 * `roundTrip` anything whose JSON text would read back as something else (a Date, a Map, a
 * function, NaN), so that what is stored is exactly what was accepted. Walks without recursion, so deep nesting
 * cannot exhaust the stack. Getters and proxies run here; what they throw is the caller's.
 */
export function forbiddenContent(
  value: unknown,
  /** Refuse what JSON would change too: a value from a caller, not one JSON.parse made (whose
   * request parameters, say, may be objects of another prototype). */
  roundTrip = false,
): { path: string; message: string } | null {
  const stack: [unknown, string, number, boolean][] = [[value, '', 0, false]];
  while (stack.length > 0) {
    const [v, path, depth, inArray] = stack.pop() as [unknown, string, number, boolean];
    if (typeof v === 'string') {
      const bad = badString(v);
      if (bad) return { path: path || '(root)', message: bad };
      continue;
    }
    const lost = roundTrip ? lostAsJson(v, inArray) : null;
    if (lost) return { path: path || '(root)', message: lost };
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_DEPTH) {
      return { path: path || '(root)', message: `nests deeper than ${MAX_DEPTH} levels` };
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push([v[i], path ? `${path}.${i}` : String(i), depth + 1, true]);
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      const child = (v as Record<string, unknown>)[key];
      const poisons =
        key === '__proto__' ||
        (key === 'constructor' &&
          typeof child === 'object' &&
          child !== null &&
          'prototype' in child);
      if (poisons) return { path: at, message: `the key "${key}" is not allowed` };
      if (key.includes('\u0000')) return { path: at, message: 'the key contains a NUL character' };
      if (LONE_SURROGATE.test(key)) return { path: at, message: 'the key has a lone surrogate' };
      stack.push([child, at, depth + 1, false]);
    }
  }
  return null;
}
