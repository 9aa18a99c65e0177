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

/**
 * The first thing in a value (a task's input, a request body) that taskmill refuses to store: a
 * key that could poison an object's prototype, a NUL character (PostgreSQL cannot keep one in
 * text or JSON, so no store takes it), a lone surrogate, or nesting deeper than MAX_DEPTH.
 * Walks without recursion, so deep nesting cannot exhaust the stack.
 */
export function forbiddenContent(value: unknown): { path: string; message: string } | null {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string') {
      const bad = badString(v);
      if (bad) return { path: path || '(root)', message: bad };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_DEPTH) {
      return { path: path || '(root)', message: `nests deeper than ${MAX_DEPTH} levels` };
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push([v[i], path ? `${path}.${i}` : String(i), depth + 1]);
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
      stack.push([child, at, depth + 1]);
    }
  }
  return null;
}
