/**
 * Fills a migrated taskmill database with `n` tasks in one INSERT … SELECT over a generated
 * series, written for each store's dialect: a million rows in seconds, where a million submits
 * through the library would take minutes. The rows look like a busy system's history (issue 18):
 * most tasks finished, some failed with an error, a few waiting or running; 20 types, 5 queues,
 * 4 priorities; three in ten named; inputs with words in them; created over 30 days.
 *
 * Rare values the list scenario searches for, and how often each occurs:
 * - `zephyr` in the input: 1 task in 10,007 (about 100 in a million);
 * - `quota exceeded` in the error: 1 in 13 failed or timed-out tasks (about 10,000);
 * - the name `invoice batch 42`: 11 names in 1,000 match `batch 42` (`batch 42`, `batch 420`…);
 * - running tasks: 2 in 100, held by `worker-0` … `worker-7` (2,500 each in a million).
 */

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** The first task's creation time; the next ones follow every STEP_MS. */
export const FILL_T0 = Date.UTC(2026, 0, 1);
export const FILL_STEP_MS = 2_592; // 1,000,000 tasks over 30 days.
export const FILL_TYPES = 20;

interface Syntax {
  cat(...parts: string[]): string;
  /** Integer division. */
  div(a: string, b: string): string;
  hex(value: string, width: number): string;
  json(text: string): string;
  series(n: number): string;
}

const SYNTAX: Record<Dialect, Syntax> = {
  sqlite: {
    cat: (...p) => `(${p.map((x) => `(${x})`).join(' || ')})`,
    div: (a, b) => `(${a} / ${b})`,
    hex: (v, w) => `printf('%0${w}x', ${v})`,
    json: (t) => t,
    series: (n) =>
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1})`,
  },
  postgres: {
    cat: (...p) => `(${p.map((x) => `(${x})::text`).join(' || ')})`,
    div: (a, b) => `(${a} / ${b})`,
    hex: (v, w) => `lpad(to_hex(${v}), ${w}, '0')`,
    json: (t) => `(${t})::jsonb`,
    series: (n) => `WITH s(i) AS (SELECT generate_series(0, ${n - 1})::bigint)`,
  },
  mysql: {
    cat: (...p) => `CONCAT(${p.join(', ')})`,
    div: (a, b) => `(${a} DIV ${b})`,
    hex: (v, w) => `LPAD(LOWER(HEX(${v})), ${w}, '0')`,
    json: (t) => t,
    series: (n) =>
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1})`,
  },
};

const WORDS = ['alpha', 'harbor', 'lantern', 'meadow', 'orbit', 'pepper', 'quartz'];
const ERRORS = [
  'connection refused by db-7',
  'timeout after 30000 ms',
  'upstream answered 502',
  'certificate expired',
  'disk full on /var/spool',
  'invalid signature',
  'rate limited by provider',
  'socket hang up',
  'unknown recipient',
  'lock wait timeout',
  'out of memory',
  'permission denied',
  'quota exceeded',
];

/** `CASE i % n WHEN 0 THEN 'a' …`: one of `values` picked by the row number. */
function pick(expr: string, values: readonly string[]): string {
  const arms = values.map((v, k) => `WHEN ${k} THEN '${v}'`).join(' ');
  return `CASE ${expr} % ${values.length} ${arms} END`;
}

/** The status of row i: seven in ten completed, one failed, the rest spread over the others. */
const STATUS = `CASE WHEN i % 100 < 70 THEN 'completed' WHEN i % 100 < 80 THEN 'failed'
  WHEN i % 100 < 85 THEN 'cancelled' WHEN i % 100 < 88 THEN 'timed_out'
  WHEN i % 100 < 93 THEN 'queued' WHEN i % 100 < 95 THEN 'retrying'
  WHEN i % 100 < 97 THEN 'running' WHEN i % 100 < 98 THEN 'paused' ELSE 'pending' END`;
const ENDED = `(i % 100 < 88)`;
const ERRED = `(i % 100 >= 70 AND i % 100 < 80 OR i % 100 >= 85 AND i % 100 < 88)`;

/** The INSERT … SELECT that adds `n` tasks to the `tasks` table of `dialect`. */
export function fillStatement(dialect: Dialect, n: number): string {
  const x = SYNTAX[dialect];
  const created = `(${FILL_T0} + i * ${FILL_STEP_MS})`;
  const id = x.cat(
    x.hex(x.div(created, '65536'), 8),
    "'-'",
    x.hex(`${created} % 65536`, 4),
    "'-7'",
    x.hex('i % 4096', 3),
    "'-8000-'",
    x.hex('i', 12),
  );
  const word = (salt: number) => pick(`(i * ${salt} + ${salt})`, WORDS);
  const input = x.json(
    x.cat(
      `'{"customer":"cust-'`,
      'i % 50000',
      `'","note":"'`,
      word(3),
      "' '",
      `CASE WHEN i % 10007 = 0 THEN 'zephyr' ELSE ${word(5)} END`,
      `'","n":'`,
      'i',
      `'}'`,
    ),
  );
  const error = x.json(
    x.cat(`'{"code":"E_TASK","message":"'`, pick('i', ERRORS), `'","retryable":false}'`),
  );
  const name = x.cat(pick('i', ['invoice batch ', 'nightly report ', 'resize album ']), 'i % 1000');
  const finished = `${created} + 1000 + i % 60000`;
  const insert = `INSERT INTO tasks (id, type, queue, priority, status, input, error, attempt,
  max_attempts, run_at, created_at, updated_at, started_at, finished_at, worker_id, lease_token,
  lease_expires_at, name)`;
  // MariaDB takes the WITH after the INSERT's column list; SQLite and PostgreSQL before it.
  const head = dialect === 'mysql' ? `${insert}\n${x.series(n)}` : `${x.series(n)}\n${insert}`;
  return `${head}
SELECT ${id}, ${x.cat("'type.'", `i * 7 % ${FILL_TYPES}`)},
  ${pick('i', ['default', 'mail', 'images', 'reports', 'billing'])}, i % 4, ${STATUS},
  ${input},
  CASE WHEN ${ERRED} THEN ${error} ELSE NULL END,
  CASE WHEN i % 100 < 88 OR i % 100 >= 93 AND i % 100 < 97 THEN 1 ELSE 0 END, 3,
  ${created}, ${created}, CASE WHEN ${ENDED} THEN ${finished} ELSE ${created} END,
  CASE WHEN ${ENDED} THEN ${created} + 500 ELSE NULL END,
  CASE WHEN ${ENDED} THEN ${finished} ELSE NULL END,
  CASE WHEN i % 100 >= 95 AND i % 100 < 97 THEN ${x.cat("'worker-'", 'i % 8')} ELSE NULL END,
  CASE WHEN i % 100 >= 95 AND i % 100 < 97 THEN ${x.cat("'lease-'", 'i')} ELSE NULL END,
  CASE WHEN i % 100 >= 95 AND i % 100 < 97 THEN ${created} + 30000 ELSE NULL END,
  CASE WHEN i % 10 < 3 THEN ${name} ELSE NULL END
FROM s`;
}
