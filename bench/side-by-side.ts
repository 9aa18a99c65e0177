/**
 * The side-by-side measurements: taskmill on SQLite and on PostgreSQL, BullMQ, pg-boss and
 * Graphile Worker through `bench/scenarios/compare.ts`, each figure from a fresh process, and
 * taskmill on MariaDB beside them; then taskmill on PostgreSQL and on MariaDB with 1, 2 and 4
 * worker processes. The tables are drawn by
 * `side-by-side-report.ts`.
 */
import type { Counts } from './measures.ts';
import type { Row, ScriptRunner } from './run-script.ts';

interface Config {
  label: string;
  system: string;
  variant: 'defaults' | 'tuned';
  server: 'redis' | 'postgres' | 'mysql' | null;
}
export const CONFIGS: Config[] = [
  { label: 'taskmill, SQLite', system: 'taskmill-sqlite', variant: 'defaults', server: null },
  { label: 'taskmill, PostgreSQL', system: 'taskmill-pg', variant: 'defaults', server: 'postgres' },
  // Tuned as a user would (bench/scenarios/mysql-database.ts): a 50 ms poll, no LISTEN/NOTIFY.
  { label: 'taskmill, MariaDB', system: 'taskmill-mysql', variant: 'tuned', server: 'mysql' },
  { label: 'BullMQ, defaults', system: 'bullmq', variant: 'defaults', server: 'redis' },
  { label: 'BullMQ, tuned', system: 'bullmq', variant: 'tuned', server: 'redis' },
  { label: 'pg-boss, defaults', system: 'pg-boss', variant: 'defaults', server: 'postgres' },
  { label: 'pg-boss, tuned', system: 'pg-boss', variant: 'tuned', server: 'postgres' },
  {
    label: 'Graphile Worker, defaults',
    system: 'graphile',
    variant: 'defaults',
    server: 'postgres',
  },
  { label: 'Graphile Worker, tuned', system: 'graphile', variant: 'tuned', server: 'postgres' },
];

/** One processing run's figures: tasks/s, worker CPU ms per 1,000 tasks, worker peak RSS MB. */
export interface Processing {
  perSecond: number;
  cpu: number;
  rss: number;
}

export interface SideBySide {
  /** Per label, per measure key (`measures.ts`), plus `cpuBig` and `rssBig` of the long queue. */
  results: Map<string, Record<string, number>>;
  /** The tasks/s of every run behind a median, per label. */
  c32Runs: Record<string, number[]>;
  /** `label:measure` figures left out when choosing the best anchor. */
  incomplete: Set<string>;
  notes: string[];
  /** Several worker processes; `label` is the store's row label (`taskmill, PostgreSQL`). */
  scaling: ({ label: string; workers: number } & Processing)[];
  /** taskmill's processing at concurrency 32 compiled (the median run) and from the sources. */
  sources: { label: string; compiled: Processing; source: Processing }[];
}

export interface Servers {
  redis: boolean;
  postgres: boolean;
  /** How to name the PostgreSQL server in a line saying it is not reachable. */
  pgName: string;
  mysql: boolean;
  /** How to name the MariaDB server in a line saying it is not reachable. */
  mysqlName: string;
}

const processing = (r: Row): Processing => ({
  perSecond: Number(r['perSecond']),
  cpu: Number(r['workerCpuMsPer1000']),
  // Several worker processes: the workers' peak, not the measuring parent's own.
  rss: Number(r['workerPeakRssMb'] ?? r['peakRssMb']),
});

export function measureSideBySide(
  runner: ScriptRunner,
  counts: Counts,
  wants: (system: string) => boolean,
  servers: Servers,
  say: (line: string) => void,
): SideBySide {
  const out: SideBySide = {
    results: new Map(),
    c32Runs: {},
    incomplete: new Set(),
    notes: [],
    scaling: [],
    sources: [],
  };
  const capNote = (what: string, r: Row) => {
    if (r['capped']) {
      out.notes.push(`${what}: stopped at the ${counts.cap} s cap after ${r['tasks']} tasks`);
    }
  };
  for (const c of CONFIGS) {
    if (!wants(c.system)) continue;
    if (c.server === 'redis' && !servers.redis) {
      say(`Skipping ${c.label}: no Redis at 127.0.0.1:6379.`);
      out.notes.push(`${c.label}: skipped, no Redis at 127.0.0.1:6379`);
      continue;
    }
    if (c.server === 'postgres' && !servers.postgres) {
      say(`Skipping ${c.label}: PostgreSQL at ${servers.pgName} is not reachable.`);
      out.notes.push(`${c.label}: skipped, PostgreSQL not reachable`);
      continue;
    }
    if (c.server === 'mysql' && !servers.mysql) {
      say(`Skipping ${c.label}: MariaDB at ${servers.mysqlName} is not reachable.`);
      out.notes.push(`${c.label}: skipped, MariaDB not reachable`);
      continue;
    }
    say(`${c.label}:`);
    const figures: Record<string, number> = {};
    const args = (rest: (string | number)[]) => [c.system, c.variant, ...rest.map(String)];
    const run = (rest: (string | number)[]) => runner.run('compare.ts', args(rest));
    const bulk = run(['bulk', counts.bulk]);
    if (bulk) figures['bulk'] = Number(bulk['perSecond']);
    const single = run(['single', counts.single]);
    if (single) figures['single'] = Number(single['perSecond']);

    const c32Args = ['process', counts.c32, 32, counts.cap];
    const c32 = median(c32Args, run, counts.runs);
    out.c32Runs[c.label] = c32.all;
    if (c32.row) {
      const p = processing(c32.row);
      figures['c32'] = p.perSecond;
      figures['rss'] = p.rss;
      figures['cpu'] = p.cpu;
      // A capped run processed a fraction of the tasks: its memory and CPU are no fair anchor.
      if (c32.row['capped']) {
        out.incomplete.add(`${c.label}:rss`);
        out.incomplete.add(`${c.label}:cpu`);
      }
      capNote(`${c.label}, concurrency 32 (${counts.c32.toLocaleString('en')})`, c32.row);
      // Right after the compiled runs, so that both meet about the same load.
      if (c.system.startsWith('taskmill')) {
        const source = runner.run('compare.ts', args(c32Args), { source: true });
        if (source) {
          out.sources.push({ label: c.label, compiled: p, source: processing(source) });
          capNote(`${c.label}, TypeScript sources`, source);
        }
      }
    }
    const big = run(['process', counts.c32big, 32, counts.cap]);
    if (big) {
      figures['c32big'] = Number(big['perSecond']);
      figures['cpuBig'] = Number(big['workerCpuMsPer1000']);
      figures['rssBig'] = Number(big['peakRssMb']);
      capNote(`${c.label}, concurrency 32 (${counts.c32big.toLocaleString('en')})`, big);
    }
    const c1 = run(['process', counts.c1, 1, counts.cap]);
    if (c1) {
      figures['c1'] = Number(c1['perSecond']);
      capNote(`${c.label}, concurrency 1`, c1);
    }
    const latency = run(['latency', counts.latency]);
    if (latency) {
      figures['p50'] = Number(latency['p50Ms']);
      figures['p99'] = Number(latency['p99Ms']);
      if (!latency['complete']) {
        out.incomplete.add(`${c.label}:p50`);
        out.incomplete.add(`${c.label}:p99`);
        out.notes.push(`${c.label}, latency: not every task started in time`);
      }
    }
    out.results.set(c.label, figures);
  }

  for (const c of CONFIGS) {
    const server = c.server === 'postgres' ? servers.postgres : servers.mysql;
    if (!c.system.startsWith('taskmill') || c.server === null || !server || !wants(c.system)) {
      continue;
    }
    say(`${c.label}, several worker processes:`);
    for (const workers of [1, 2, 4]) {
      const r = runner.run(
        'compare.ts',
        [c.system, c.variant, 'processes', counts.procs, workers, counts.cap].map(String),
      );
      if (!r) continue;
      out.scaling.push({ label: c.label, workers, ...processing(r) });
      const plural = workers > 1 ? 'es' : '';
      capNote(`${c.label}, ${workers} worker process${plural}`, r);
    }
  }
  return out;
}

/**
 * Run a processing measurement `runs` times and return the median run by tasks/s (the lower
 * of the two middle ones if a run failed), so one disturbed run on a shared machine does not
 * set the figure. A run stopped at its cap is not repeated: the next would stop there too, and
 * the cap, not the queue, sets its figure.
 */
function median(
  rest: (string | number)[],
  run: (rest: (string | number)[]) => Row | null,
  runs: number,
): { row: Row | null; all: number[] } {
  const rows: Row[] = [];
  for (let i = 0; i < runs; i++) {
    const r = run(rest);
    if (!r) continue;
    rows.push(r);
    if (r['capped']) break;
  }
  const all = rows.map((r) => Number(r['perSecond']));
  rows.sort((a, b) => Number(a['perSecond']) - Number(b['perSecond']));
  return { row: rows[Math.floor((rows.length - 1) / 2)] ?? null, all };
}
