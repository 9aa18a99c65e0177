import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSqlNames, loadSql } from '../../src/store/sql-files.ts';

const ADAPTERS = {
  sqlite: fileURLToPath(new URL('../../src/store/sqlite/', import.meta.url)),
  postgres: fileURLToPath(new URL('../../src/store/postgres/', import.meta.url)),
  mysql: fileURLToPath(new URL('../../src/store/mysql/', import.meta.url)),
} as const;

/** Statement names an adapter's code loads: `conn.all('name')`, `s.get<…>('name', …)`,
 * `this.direct.run('name', …)` (MySQL's pool session),
 * `loadSql(ADAPTER_DIR, 'name')`, `listStatement(ADAPTER_DIR, …)` (task-list), and the file a
 * `name:variant` key is made from. */
function namesInCode(adapterDir: string): Set<string> {
  const names = new Set<string>();
  const call =
    /(?:\bconn|\bs|session\(\)|\bdirect)\s*\.(?:all|get|run)\s*(?:<[^(]*?>)?\(\s*['`]([a-z0-9-]+)/g;
  const load = /loadSql\(\s*ADAPTER_DIR,\s*'([a-z0-9-]+)'/g;
  for (const file of readdirSync(adapterDir).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(adapterDir, file), 'utf8');
    for (const m of code.matchAll(call)) names.add(m[1] as string);
    for (const m of code.matchAll(load)) names.add(m[1] as string);
    // `listStatement(ADAPTER_DIR, …)` (src/store/list-cursor.ts) loads the adapter's task-list.
    if (/listStatement\(\s*ADAPTER_DIR\b/.test(code)) names.add('task-list');
  }
  return names;
}

/** The comment lines a file opens with. */
function header(adapterDir: string, name: string): string {
  const lines = loadSql(adapterDir, name).split('\n');
  const end = lines.findIndex((line) => !line.startsWith('--'));
  return lines.slice(0, end === -1 ? lines.length : end).join('\n');
}

for (const [adapter, adapterDir] of Object.entries(ADAPTERS)) {
  describe(`${adapter} sql files`, () => {
    const files = listSqlNames(adapterDir);
    const used = namesInCode(adapterDir);

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
}

describe('sql files across adapters', () => {
  const sqlite = listSqlNames(ADAPTERS.sqlite);
  const postgres = listSqlNames(ADAPTERS.postgres);

  it('shares most statement names', () => {
    const shared = sqlite.filter((name) => postgres.includes(name));
    expect(shared.length).toBeGreaterThan(30);
  });

  it('says why in its comment when a statement exists in only one adapter', () => {
    const only = [
      ...sqlite.filter((n) => !postgres.includes(n)).map((n) => ['sqlite', n] as const),
      ...postgres.filter((n) => !sqlite.includes(n)).map((n) => ['postgres', n] as const),
    ];
    const unexplained = only
      .filter(([adapter, name]) => {
        const marker =
          adapter === 'sqlite' ? /Only in the SQLite adapter/ : /Only in the PostgreSQL adapter/;
        return !marker.test(header(ADAPTERS[adapter], name));
      })
      .map(([adapter, name]) => `${adapter}/sql/${name}.sql`);
    expect(unexplained).toEqual([]);
  });

  it('says why in its comment when a MySQL statement exists in neither other adapter', () => {
    const mysql = listSqlNames(ADAPTERS.mysql);
    const unexplained = mysql
      .filter((name) => !sqlite.includes(name) && !postgres.includes(name))
      .filter((name) => !/Only in the MySQL adapter/.test(header(ADAPTERS.mysql, name)))
      .map((name) => `mysql/sql/${name}.sql`);
    expect(unexplained).toEqual([]);
  });
});
