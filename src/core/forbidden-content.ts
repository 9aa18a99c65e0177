/**
 * The first thing in a value (a task's input, a request body) that taskmill refuses to store: a
 * key that could poison an object's prototype, or a NUL character (PostgreSQL cannot keep one in
 * text or JSON, so no store takes it). Walks without recursion, so deep nesting cannot exhaust
 * the stack.
 */
export function forbiddenContent(value: unknown): { path: string; message: string } | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('\u0000'))
        return { path: path || '(root)', message: 'contains a NUL character (\\u0000)' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
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
      stack.push([child, at]);
    }
  }
  return null;
}
