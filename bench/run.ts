/**
 * `npm run bench`: taskmill on SQLite and on PostgreSQL side by side with BullMQ (Redis), pg-boss
 * and Graphile Worker (PostgreSQL), then taskmill's own SQLite detail table, then the executors
 * (inline, thread and process pools) on SQLite, then the HTTP API on SQLite. Every measurement
 * runs in a fresh process (so peak RSS is its own), one after another. `--quick` runs smaller
 * counts as a smoke check; `--only=graphile,pg-boss` limits the run to some systems,
 * `--only=executors` to the executors, `--only=http` to the HTTP API.
 *
 * The anchors are bench/'s own dependencies (bench/package.json), installed here when missing
 * and wanted, so the product's install never carries them. An anchor whose server is not
 * reachable is skipped with a line saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBench } from './build-bench.ts';
import { EXECUTOR_CASES, executorCounts, executorTable } from './executor-report.ts';
import { httpCases, httpTable } from './http-report.ts';
import { type Measure, measures } from './measures.ts';
import { packageVersion, postgresVersion, redact, redisVersion } from './servers.ts';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const SECTIONS = [
  'taskmill-sqlite',
  'taskmill-pg',
  'bullmq',
  'pg-boss',
  'graphile',
  'executors',
  'http',
] as const;
const ANCHORS = ['bullmq', 'pg-boss', 'graphile'] as const;
for (const name of only ?? []) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    throw new Error(`--only=${name}: expected some of ${SECTIONS.join(', ')}`);
  }
}
const wants = (name: (typeof SECTIONS)[number]) => !only || only.includes(name);
// The side-by-side scenario (compare.ts) imports every anchor's package, taskmill's rows too, so
// only the executors and the HTTP API go without the anchors (and the servers).
const needAnchors = (['taskmill-sqlite', 'taskmill-pg', ...ANCHORS] as const).some(wants);
const needServers = (['taskmill-pg', ...ANCHORS] as const).some(wants);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgUrl = process.env['TASKMILL_BENCH_DATABASE_URL'] || DEFAULT_PG_URL;
const say = (line: string) => process.stderr.write(`${line}\n`);
const wallStart = performance.now();

// Counts: sized so the whole run stays well under 15 minutes on a 2-core machine. A processing
// run that has not finished by its cap reports what it did until then (pg-boss at its defaults
// polls every 2 s and would need hours for 100,000).
const COUNTS = quick
  ? { bulk: 10_000, single: 2_000, c32: 10_000, c1: 2_000, latency: 200, cap: 10, procs: 10_000 }
  : {
      bulk: 100_000,
      single: 20_000,
      c32: 100_000,
      c1: 20_000,
      latency: 1_000,
      cap: 30,
      procs: 100_000,
    };

// --- the anchors' install and servers --------------------------------------------------------

const anchorsInstalled = (): boolean => existsSync(join(benchDir, 'node_modules'));
if (needAnchors && !anchorsInstalled()) {
  say('Installing the anchors (npm install --prefix bench) ...');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', benchDir], {
    stdio: 'inherit',
  });
  if (npm.status !== 0) throw new Error('npm install --prefix bench failed');
}

const redis = needServers ? await redisVersion() : null;
const postgres = needServers ? await postgresVersion(pgUrl, say) : null;
if (needServers) {
  say(
    `PostgreSQL for the bench: ${redact(pgUrl)} — ${postgres ? `version ${postgres}` : 'NOT reachable'}`,
  );
  say(`Redis for BullMQ: 127.0.0.1:6379 — ${redis ? `version ${redis}` : 'NOT reachable'}`);
}
const versions: Record<string, string> = {
  node: process.version,
  taskmill: packageVersion(join(benchDir, '..')),
};
if (needServers) {
  versions['postgres'] = postgres ?? 'n/a';
  versions['redis'] = redis ?? 'n/a';
  versions['pg'] = packageVersion(join(benchDir, '..', 'node_modules', 'pg'));
}
if (needAnchors) {
  for (const name of ['bullmq', 'pg-boss', 'graphile-worker']) {
    versions[name] = packageVersion(join(benchDir, 'node_modules', name));
  }
}
if (wants('executors')) {
  versions['workerpool'] = packageVersion(join(benchDir, '..', 'node_modules', 'workerpool'));
}
if (wants('http'))
  versions['fastify'] = packageVersion(join(benchDir, '..', 'node_modules', 'fastify'));

// --- compile -----------------------------------------------------------------------------------

// Measure the JavaScript an installed package runs: Node's type stripping of the sources would
// add its own start-up time and some 20-40 MB of memory to every figure.
const buildDir = join(benchDir, '.build');
buildBench(benchDir, buildDir, anchorsInstalled());

type Row = Record<string, number | string>;

// The 1-minute load before each measurement: others' work on a 2-core machine moves every figure.
const loads: number[] = [];
function runScript(file: string, args: string[], flags: string[] = []): Row | null {
  loads.push(loadavg()[0] ?? 0);
  const script = join(buildDir, 'bench/scenarios', file.replace(/\.ts$/, '.js'));
  const run = spawnSync(process.execPath, ['--no-warnings', ...flags, script, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !last.startsWith('{')) {
    say(`${file} ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stderr}`);
    return null;
  }
  const row = JSON.parse(last) as Row;
  say(`  ${JSON.stringify(row)}`);
  return row;
}

// --- side by side ------------------------------------------------------------------------------

interface Config {
  label: string;
  system: string;
  variant: 'defaults' | 'tuned';
  server: 'redis' | 'postgres' | null;
}
const configs: Config[] = [
  { label: 'taskmill, SQLite', system: 'taskmill-sqlite', variant: 'defaults', server: null },
  { label: 'taskmill, PostgreSQL', system: 'taskmill-pg', variant: 'defaults', server: 'postgres' },
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

const MEASURES = measures(COUNTS);

const results = new Map<string, Record<string, number>>();
const notes: string[] = [];
/** `label:measure` figures left out when choosing the best anchor. */
const incomplete = new Set<string>();
for (const c of configs) {
  if (only && !only.includes(c.system)) continue;
  if (c.server === 'redis' && !redis) {
    say(`Skipping ${c.label}: no Redis at 127.0.0.1:6379.`);
    notes.push(`${c.label}: skipped, no Redis at 127.0.0.1:6379`);
    continue;
  }
  if (c.server === 'postgres' && !postgres) {
    say(`Skipping ${c.label}: PostgreSQL at ${redact(pgUrl)} is not reachable.`);
    notes.push(`${c.label}: skipped, PostgreSQL not reachable`);
    continue;
  }
  say(`${c.label}:`);
  const figures: Record<string, number> = {};
  const run = (args: string[]) => runScript('compare.ts', [c.system, c.variant, ...args]);
  const bulk = run(['bulk', String(COUNTS.bulk)]);
  if (bulk) figures['bulk'] = Number(bulk['perSecond']);
  const single = run(['single', String(COUNTS.single)]);
  if (single) figures['single'] = Number(single['perSecond']);
  const c32 = run(['process', String(COUNTS.c32), '32', String(COUNTS.cap)]);
  if (c32) {
    figures['c32'] = Number(c32['perSecond']);
    figures['rss'] = Number(c32['peakRssMb']);
    // A capped run processed a fraction of the tasks: its memory is no fair anchor.
    if (c32['capped']) incomplete.add(`${c.label}:rss`);
    if (c32['capped'])
      notes.push(
        `${c.label}, concurrency 32: stopped at the ${COUNTS.cap} s cap after ${c32['tasks']} tasks`,
      );
  }
  const c1 = run(['process', String(COUNTS.c1), '1', String(COUNTS.cap)]);
  if (c1) {
    figures['c1'] = Number(c1['perSecond']);
    if (c1['capped'])
      notes.push(
        `${c.label}, concurrency 1: stopped at the ${COUNTS.cap} s cap after ${c1['tasks']} tasks`,
      );
  }
  const latency = run(['latency', String(COUNTS.latency)]);
  if (latency) {
    figures['p50'] = Number(latency['p50Ms']);
    figures['p99'] = Number(latency['p99Ms']);
    if (!latency['complete']) {
      incomplete.add(`${c.label}:p50`);
      incomplete.add(`${c.label}:p99`);
    }
    if (!latency['complete']) notes.push(`${c.label}, latency: not every task started in time`);
  }
  results.set(c.label, figures);
}

const scaling: { workers: number; perSecond: number; rss: number }[] = [];
if (postgres && (!only || only.includes('taskmill-pg'))) {
  say('taskmill, PostgreSQL, several worker processes:');
  for (const workers of [1, 2, 4]) {
    const r = runScript('compare.ts', [
      'taskmill-pg',
      'defaults',
      'processes',
      String(COUNTS.procs),
      String(workers),
      String(COUNTS.cap),
    ]);
    if (!r) continue;
    scaling.push({ workers, perSecond: Number(r['perSecond']), rss: Number(r['workerPeakRssMb']) });
    if (r['capped']) {
      notes.push(
        `taskmill, PostgreSQL, ${workers} worker process${workers > 1 ? 'es' : ''}: stopped at the ${COUNTS.cap} s cap after ${r['tasks']} tasks`,
      );
    }
  }
}

// --- taskmill's own SQLite detail --------------------------------------------------------------

const big = quick ? 10_000 : 100_000;
// [script, its arguments, Node flags]. The last row shows how much of the peak RSS is V8 sizing
// its young generation by the machine's memory rather than taskmill's own.
const sqliteScenarios: [string, string[], string[]][] = [
  ['bulk-submit.ts', [String(big)], []],
  ['process.ts', [String(big), '32'], []],
  ['process.ts', [String(COUNTS.c1), '1'], []],
  ['latency.ts', [quick ? '100' : '500', 'local'], []],
  ['latency.ts', [quick ? '100' : '500', 'remote'], []],
  ['process.ts', [String(big), '32', 'small young generation'], ['--max-semi-space-size=4']],
];
const sqliteRows: Row[] = [];
if (wants('taskmill-sqlite')) {
  say('taskmill, SQLite detail:');
  for (const [file, args, flags] of sqliteScenarios) {
    const row = runScript(file, args, flags);
    if (row) sqliteRows.push(row);
  }
}

// --- executors: inline, thread and process on SQLite -----------------------------------------

const EXECUTOR_COUNTS = executorCounts(quick);
const executorRows: Row[] = [];
if (wants('executors')) {
  say('Executors (SQLite):');
  for (const c of EXECUTOR_CASES) {
    for (const kind of ['inline', 'thread', 'process']) {
      const row = runScript('executors.ts', [
        c.work,
        kind,
        String(EXECUTOR_COUNTS[c.work]),
        String(c.concurrency),
        String(c.size),
      ]);
      if (row) executorRows.push(row);
    }
  }
}

// --- the HTTP API on SQLite: server and worker in one process, load generator in another ------

const httpRows: Row[] = [];
if (wants('http')) say('HTTP API (SQLite):');
for (const args of wants('http') ? httpCases(quick) : []) {
  const row = runScript('http.ts', args.map(String));
  if (row) httpRows.push(row);
}

// --- the table ---------------------------------------------------------------------------------

const fmt = (v: number | undefined, key: string) =>
  v === undefined || Number.isNaN(v)
    ? '–'
    : key === 'p50' || key === 'p99'
      ? v.toFixed(2)
      : v < 10
        ? v.toFixed(1)
        : Math.round(v).toLocaleString('en');

const anchors = [...results.entries()].filter(([label]) => !label.startsWith('taskmill'));
function best(m: Measure): [string, number] | null {
  let found: [string, number] | null = null;
  for (const [label, f] of anchors) {
    const v = f[m.key];
    if (v === undefined || incomplete.has(`${label}:${m.key}`)) continue;
    if (!found || (m.better === 'higher' ? v > found[1] : v < found[1])) found = [label, v];
  }
  return found;
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const sideBySide = results.size > 0 || scaling.length > 0;
const minutes = ((performance.now() - wallStart) / 60_000).toFixed(1);
const out: string[] = [];
out.push(
  `taskmill ${quick ? '(quick) ' : ''}${sideBySide ? 'side by side' : 'bench'} — Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, 1-minute load before each measurement ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(1)}), ${minutes} min`,
);
out.push(
  `Versions: ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}${needServers ? `; PostgreSQL ${redact(pgUrl)}` : ''}`,
);
if (sideBySide) {
  out.push('');
  out.push(`| | ${MEASURES.map((m) => m.head).join(' | ')} |`);
  out.push(`| --- | ${MEASURES.map(() => '---:').join(' | ')} |`);
  for (const [label, f] of results) {
    out.push(`| ${label} | ${MEASURES.map((m) => fmt(f[m.key], m.key)).join(' | ')} |`);
  }
  for (const s of scaling) {
    out.push(
      `| taskmill, PostgreSQL, ${s.workers} worker process${s.workers > 1 ? 'es' : ''} × 32 (${COUNTS.procs.toLocaleString('en')}) | | | ${fmt(s.perSecond, 'c32')} | | | | ${fmt(s.rss, 'rss')} |`,
    );
  }
  const bests = MEASURES.map(best);
  out.push(
    `| best anchor | ${bests.map((b, i) => (b ? `${fmt(b[1], MEASURES[i]?.key ?? '')} (${b[0]})` : '–')).join(' | ')} |`,
  );
  for (const label of ['taskmill, SQLite', 'taskmill, PostgreSQL']) {
    const f = results.get(label);
    if (!f) continue;
    const ratios = MEASURES.map((m, i) => {
      const b = bests[i];
      const v = f[m.key];
      if (!b || v === undefined || b[1] === 0) return '–';
      const r = v / b[1];
      return `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
    });
    out.push(`| ${label} ÷ best anchor | ${ratios.join(' | ')} |`);
  }
  out.push('');
  out.push(
    'Ratios are taskmill ÷ the best anchor: above 1 is better for rates, below 1 is better for latency and memory. A run stopped at its cap does not count as best anchor for memory or latency.',
  );
  for (const n of notes) out.push(`- ${n}`);
}
if (sqliteRows.length > 0) {
  out.push('');
  out.push('taskmill on SQLite, detail:');
  out.push('');
  out.push('| scenario | tasks | tasks/s | p50 ms | p99 ms | peak RSS MB |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of sqliteRows) {
    out.push(
      `| ${r['scenario']} | ${r['tasks']} | ${r['tasksPerSecond'] ?? ''} | ${r['p50Ms'] ?? ''} | ${r['p99Ms'] ?? ''} | ${r['peakRssMb']} |`,
    );
  }
}
if (executorRows.length > 0) out.push('', ...executorTable(executorRows));
if (httpRows.length > 0) out.push('', ...httpTable(httpRows));
console.log(out.join('\n'));

// Kept for writing up (bench/results is not committed).
const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(
    resultsDir,
    `${quick ? 'quick' : 'full'}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  ),
  JSON.stringify(
    {
      versions,
      counts: COUNTS,
      results: Object.fromEntries(results),
      scaling,
      sqliteRows,
      executorRows,
      httpRows,
      notes,
      minutes,
      loads,
    },
    null,
    2,
  ),
);
