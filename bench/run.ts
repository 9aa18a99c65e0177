/**
 * `npm run bench`: taskmill on SQLite, on PostgreSQL and on MariaDB side by side with BullMQ
 * (Redis), pg-boss and Graphile Worker (PostgreSQL), then taskmill's own SQLite detail table, then the executors
 * (inline, thread and process pools) on SQLite, then the HTTP API on SQLite. Every measurement
 * runs in a fresh process (so peak RSS is its own), one after another. The side by side is
 * followed by the ratios the aims of issue 11 name, and by taskmill's processing compiled against
 * its TypeScript sources. `--quick` runs smaller
 * counts as a smoke check; `--only=graphile,pg-boss` limits the run to some systems,
 * `--only=executors` to the executors, `--only=http` to the HTTP API, `--only=pipelines` to
 * pipelines against plain tasks (SQLite, PostgreSQL and MariaDB), `--only=balancing` to how push
 * dispatch shares tasks among units under each strategy (SQLite), `--only=task-list` to task lists
 * at 1,000,000 tasks (issue 18; `--quick`: 100,000) on each store that answers, `--only=dashboard`
 * to the dashboard's first paint on the demo in Chromium (issue 18). taskmill on MariaDB
 * (`TASKMILL_BENCH_MYSQL_URL`, by default root@127.0.0.1:3306) works in a fresh database per
 * measurement, tuned as bench/scenarios/mysql-database.ts says; without a server answering there
 * its rows are skipped with a line saying so.
 *
 * The anchors are bench/'s own dependencies (bench/package.json), installed here when missing
 * and wanted, so the product's install never carries them. An anchor whose server is not
 * reachable is skipped with a line saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { balancingCases, balancingTable } from './balancing-report.ts';
import { buildBench } from './build-bench.ts';
import { dashboardTable } from './dashboard-report.ts';
import { EXECUTOR_CASES, executorCounts, executorTable } from './executor-report.ts';
import { httpCases, httpTable } from './http-report.ts';
import { counts, measures } from './measures.ts';
import { type Row, scriptRunner } from './run-script.ts';
import { mysqlServerUrl, mysqlServerVersion } from './scenarios/mysql-database.ts';
import { packageVersion, postgresServer, redact, redisVersion } from './servers.ts';
import { measureSideBySide } from './side-by-side.ts';
import { aimsTable, sideBySideTable, sourcesTable } from './side-by-side-report.ts';
import { taskListTable } from './task-list-report.ts';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const SECTIONS = [
  'taskmill-sqlite',
  'taskmill-pg',
  'taskmill-mysql',
  'bullmq',
  'pg-boss',
  'graphile',
  'executors',
  'http',
  'pipelines',
  'balancing',
  'task-list',
  'dashboard',
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
const needAnchors = (
  ['taskmill-sqlite', 'taskmill-pg', 'taskmill-mysql', ...ANCHORS] as const
).some(wants);
const needServers = (['taskmill-pg', 'pipelines', 'task-list', ...ANCHORS] as const).some(wants);
const needMysql = (['taskmill-mysql', 'pipelines', 'task-list'] as const).some(wants);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgUrl = process.env['TASKMILL_BENCH_DATABASE_URL'] || DEFAULT_PG_URL;
const say = (line: string) => process.stderr.write(`${line}\n`);
const wallStart = performance.now();

// Counts: sized so the whole run stays under about 20 minutes on a 2-core machine. A processing
// run that has not finished by its cap reports what it did until then (pg-boss at its defaults
// polls every 2 s and would need hours for 100,000).
const COUNTS = counts(quick);

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
const pgServer = needServers ? await postgresServer(pgUrl, say) : null;
const postgres = pgServer?.version ?? null;
if (needServers) {
  say(
    `PostgreSQL for the bench: ${redact(pgUrl)} — ${pgServer ? `version ${pgServer.version}, autovacuum ${pgServer.autovacuum}` : 'NOT reachable'}`,
  );
  say(`Redis for BullMQ: 127.0.0.1:6379 — ${redis ? `version ${redis}` : 'NOT reachable'}`);
}
const mysqlName = redact(mysqlServerUrl());
const mariadb = needMysql ? await mysqlServerVersion(say) : null;
if (needMysql)
  say(`MariaDB for the bench: ${mysqlName} — ${mariadb ? `version ${mariadb}` : 'NOT reachable'}`);
const versions: Record<string, string> = {
  node: process.version,
  taskmill: packageVersion(join(benchDir, '..')),
};
if (needServers) {
  versions['postgres'] = postgres ?? 'n/a';
  versions['redis'] = redis ?? 'n/a';
  versions['pg'] = packageVersion(join(benchDir, '..', 'node_modules', 'pg'));
}
if (needMysql) {
  versions['mariadb'] = mariadb ?? 'n/a';
  versions['mysql2'] = packageVersion(join(benchDir, '..', 'node_modules', 'mysql2'));
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
// add its own start-up time and some 20-40 MB of memory to every figure. taskmill's processing
// also runs once from the sources (side-by-side.ts), to say what that difference is.
// A folder of this run's own: another run started meanwhile compiles into its own.
const buildDir = join(benchDir, '.build', `run-${process.pid}`);
buildBench(benchDir, buildDir, anchorsInstalled());

const runner = scriptRunner(benchDir, buildDir, say);
const { loads } = runner;
const runScript = (file: string, args: string[], flags: string[] = []) =>
  runner.run(file, args, { flags });

// --- side by side ------------------------------------------------------------------------------

const MEASURES = measures(COUNTS);
const sideBySide = measureSideBySide(
  runner,
  COUNTS,
  (system) => !only || only.includes(system),
  {
    redis: redis !== null,
    postgres: postgres !== null,
    pgName: redact(pgUrl),
    mysql: mariadb !== null,
    mysqlName,
  },
  say,
);

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

// --- pipelines against plain tasks of the same shape, on SQLite, PostgreSQL and MariaDB -------

const pipelineRows: Row[] = [];
if (wants('pipelines')) {
  say('Pipelines:');
  const [chain, map, plain] = quick ? [200, 2_000, 2_000] : [1_000, 10_000, 10_000];
  const stores = ['sqlite'];
  if (postgres !== null) stores.push('postgres');
  if (mariadb !== null) stores.push('mysql');
  for (const store of stores) {
    const row = runScript('pipelines.ts', [store, String(chain), String(map), String(plain), '32']);
    if (row) pipelineRows.push(row);
  }
}

// --- push balancing strategies on SQLite: a server and four push units in one process -------

const balancingRows: Row[] = [];
if (wants('balancing')) say('Push balancing (SQLite):');
for (const args of wants('balancing') ? balancingCases(quick) : []) {
  const row = runScript('balancing.ts', args.map(String));
  if (row) balancingRows.push(row);
}

// --- task lists at scale (issue 18), on every store that answers ------------------------------

const taskListRows: Row[] = [];
if (wants('task-list')) {
  say('Task lists at scale:');
  const stores = ['sqlite'];
  if (postgres !== null) stores.push('postgres');
  if (mariadb !== null) stores.push('mysql');
  for (const store of stores) {
    const row = runScript('task-list-scale.ts', [store, String(quick ? 100_000 : 1_000_000)]);
    if (row) taskListRows.push(row);
  }
}

// --- the dashboard's first paint on the demo (issue 18) ----------------------------------------

const dashboardRows: Row[] = [];
if (wants('dashboard')) {
  say('Dashboard first paint (the demo, Chromium):');
  // From the sources, as `npm start` runs the server it measures.
  const row = runner.run('dashboard-paint.ts', [String(quick ? 3 : 7)], { source: true });
  if (row) dashboardRows.push(row);
}

// --- the table ---------------------------------------------------------------------------------

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const { results, scaling } = sideBySide;
const hasSideBySide = results.size > 0 || scaling.length > 0;
const minutes = ((performance.now() - wallStart) / 60_000).toFixed(1);
const pgSystems = (['taskmill-pg', 'pg-boss', 'graphile'] as const).filter(wants);
// Every PostgreSQL system's processing runs on tables analysed after the fill (analyzeSchema in
// bench/scenarios/pg-schema.ts): what auto-analyze would have done on a default server.
const analyzeNote =
  pgServer && pgSystems.length > 0
    ? `; PostgreSQL: every processing run ANALYZEs its schema's tables after the fill, before the worker starts (autovacuum ${pgServer.autovacuum} on this server)`
    : '';
const mysqlNote =
  mariadb !== null
    ? '; MariaDB: every processing run ANALYZE TABLEs its database after the fill, before the worker starts'
    : '';
const out: string[] = [];
out.push(
  `taskmill ${quick ? '(quick) ' : ''}${hasSideBySide ? 'side by side' : 'bench'} — Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, 1-minute load before each measurement ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(1)}), ${minutes} min${analyzeNote}${mysqlNote}`,
);
out.push(
  `Versions: ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(
      ', ',
    )}${needServers ? `; PostgreSQL ${redact(pgUrl)}` : ''}${needMysql ? `; MariaDB ${mysqlName}` : ''}`,
);
if (hasSideBySide) out.push('', ...sideBySideTable(sideBySide, MEASURES, COUNTS));
const sameProcess = sqliteRows.find((r) => r['scenario'] === 'latency, same process');
const sqliteLatency = sameProcess
  ? { p50: Number(sameProcess['p50Ms']), p99: Number(sameProcess['p99Ms']) }
  : undefined;
for (const table of [
  aimsTable(sideBySide, COUNTS, sqliteLatency),
  sourcesTable(sideBySide, COUNTS),
]) {
  if (table.length > 0) out.push('', ...table);
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
if (pipelineRows.length > 0) {
  out.push('', 'Pipelines against plain tasks of the same shape (concurrency 32):', '');
  out.push(
    '| store | chain: plain tasks/s | chain: steps/s | ratio | parent → child p50 / p95 / p99 ms | plain tasks/s | map items/s | ratio | CPU ms per plain task / map item / chain step | peak RSS MB |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of pipelineRows) {
    out.push(
      `| ${String(r['scenario']).replace('pipelines, ', '')} | ${r['plainChainPerSecond']} | ${r['pipelineChainPerSecond']} | ${r['chainVsPlainChain']} | ${r['pipelineChainP50Ms']} / ${r['pipelineChainP95Ms']} / ${r['pipelineChainP99Ms']} (plain: p50 ${r['plainChainP50Ms']}) | ${r['plainTasksPerSecond']} | ${r['mapItemsPerSecond']} | ${r['mapVsPlainTasks']} | ${r['plainCpuMsPerTask']} / ${r['mapCpuMsPerTask']} / ${r['pipelineChainCpuMsPerStep']} | ${r['peakRssMb']} |`,
    );
  }
}
if (balancingRows.length > 0) out.push('', ...balancingTable(balancingRows));
if (taskListRows.length > 0) out.push('', ...taskListTable(taskListRows));
if (dashboardRows.length > 0) out.push('', ...dashboardTable(dashboardRows));
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
      analyzedAfterFill: analyzeNote !== '',
      results: Object.fromEntries(results),
      c32Runs: sideBySide.c32Runs,
      scaling,
      sources: sideBySide.sources,
      sqliteRows,
      executorRows,
      httpRows,
      pipelineRows,
      balancingRows,
      taskListRows,
      dashboardRows,
      notes: sideBySide.notes,
      minutes,
      loads,
    },
    null,
    2,
  ),
);
rmSync(buildDir, { recursive: true, force: true });
