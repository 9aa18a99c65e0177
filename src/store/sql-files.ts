/**
 * Loads an adapter's SQL: one statement per file at `<dir>/sql/<name>.sql`, so both adapters keep
 * files of the same names side by side and a test can check that none is missing or unused.
 * Each file is read once per process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, string>();

export function loadSql(dir: string, name: string): string {
  const file = join(dir, 'sql', `${name}.sql`);
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** The statement names an adapter ships (file names without `.sql`), sorted. */
export function listSqlNames(dir: string): string[] {
  return readdirSync(join(dir, 'sql'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
}
