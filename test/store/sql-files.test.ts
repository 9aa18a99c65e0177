import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSqlNames, loadSql } from '../../src/store/sql-files.ts';

const adapterDir = fileURLToPath(new URL('../../src/store/sqlite/', import.meta.url));

/** Statement names the adapter's code loads: `conn.all('name')`, `conn.run<…>('name')`,
 * `loadSql(ADAPTER_DIR, 'name')`. */
function namesInCode(): Set<string> {
  const names = new Set<string>();
  const call = /\.(?:all|get|run)\s*(?:<[^(]*?>)?\(\s*'([a-z0-9-]+)'/g;
  const load = /loadSql\(\s*ADAPTER_DIR,\s*'([a-z0-9-]+)'/g;
  for (const file of readdirSync(adapterDir).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(adapterDir, file), 'utf8');
    for (const m of code.matchAll(call)) names.add(m[1] as string);
    for (const m of code.matchAll(load)) names.add(m[1] as string);
  }
  return names;
}

describe('sqlite sql files', () => {
  const files = listSqlNames(adapterDir);
  const used = namesInCode();

  it('finds statements on both sides', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(used.size).toBeGreaterThan(20);
  });

  it('uses every file under sql/', () => {
    expect(files.filter((name) => !used.has(name))).toEqual([]);
  });

  it('has a file for every name the code loads', () => {
    expect([...used].filter((name) => !files.includes(name)).sort()).toEqual([]);
  });

  it('holds one statement per file, opening with a comment that names it', () => {
    for (const name of files) {
      const text = loadSql(adapterDir, name);
      expect(text.startsWith(`-- ${name}:`), name).toBe(true);
      const code = text
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--'))
        .join('\n')
        .trim()
        .replace(/;$/, '');
      expect(code.includes(';'), `${name} holds more than one statement`).toBe(false);
    }
  });
});
