/**
 * `npm run bench:soak -- --minutes 30 --store sqlite|postgres`: the soak of issue 14. One process
 * submits single tasks at `--rate` a second (5% failing, 1% timing out) while two worker processes
 * run them, one for the whole soak and one SIGTERMed and started again every `--restart-every`
 * minutes; retention deletes finished tasks during the run. The soak is cut into windows of the
 * restart interval (6 by default, the first the warm-up), and checked: RSS after the warm-up grows
 * at most 10%, connections stay flat, the claim p99 of every window stays within 20% of the first,
 * the tables stay bounded, the offered rate is held and every task ends. It prints a table and
 * PASS/FAIL lines, writes the figures to bench/results/, and exits with 1 when a check fails.
 *
 * A run at `--minutes 3` (windows of 30 s) is a smoke test of the script, not of the product.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTaskmill } from '../src/index.ts';
import { buildBench } from './build-bench.ts';
import { freshDatabase, wallMs } from './scenarios/common.ts';
import { dropSchema, pgUrl } from './scenarios/pg-schema.ts';
import type { SoakChildConfig } from './scenarios/soak-task.ts';
import { postgresServer, redact } from './servers.ts';
import { type Child, type Restart, restartChild, startChild, stopChild } from './soak-children.ts';
import { type Prober, postgresProber, sqliteProber } from './soak-probes.ts';
import { SoakRecord } from './soak-record.ts';
import { type SoakSettings, soakReport } from './soak-report.ts';

const DRAIN_LIMIT_MS = 60_000;
const say = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    store: { type: 'string', default: 'sqlite' },
    rate: { type: 'string', default: '500' },
    'restart-every': { type: 'string' },
    'fail-rate': { type: 'string', default: '0.05' },
    'timeout-rate': { type: 'string', default: '0.01' },
    concurrency: { type: 'string', default: '32' },
  },
});
function numberFlag(name: keyof typeof flags, min: number, max = Number.POSITIVE_INFINITY) {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${name} ${flags[name]}: expected a number from ${min} to ${max}`);
  }
  return n;
}
const store = flags.store;
if (store !== 'sqlite' && store !== 'postgres') {
  throw new Error(`--store ${store}: expected sqlite or postgres`);
}
const minutes = numberFlag('minutes', 0.5);
// Six windows by default: a restart every 5 minutes in the 30-minute soak.
const restartEvery = flags['restart-every'] ? numberFlag('restart-every', 0.1) : minutes / 6;
const windows = Math.round(minutes / restartEvery);
if (windows < 3) {
  throw new Error('--minutes / --restart-every: at least 3 windows (warm-up, baseline, last)');
}
const windowMs = Math.round(restartEvery * 60_000);
const settings: Omit<SoakSettings, 'database'> = {
  store,
  minutes: (windows * windowMs) / 60_000,
  windowMs,
  windows,
  rate: numberFlag('rate', 1),
  failRate: numberFlag('fail-rate', 0, 1),
  timeoutRate: numberFlag('timeout-rate', 0, 1),
  timeoutMs: 250,
  concurrency: numberFlag('concurrency', 1),
  // Kept a quarter of a window, swept every twelfth: the tables level off within the warm-up.
  retainMs: Math.round(windowMs / 4),
  retentionEveryMs: Math.max(1000, Math.round(windowMs / 12)),
  sampleMs: Math.min(10_000, Math.max(1000, Math.round(windowMs / 30))),
};
const durationMs = windows * windowMs;

// --- the build and the database ----------------------------------------------------------------

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const buildDir = join(benchDir, '.build');
buildBench(benchDir, buildDir, existsSync(join(benchDir, 'node_modules')));

let url: string;
let prober: Prober;
let removeDatabase: () => Promise<void>;
let serverNote = '';
if (store === 'sqlite') {
  const db = freshDatabase();
  url = db.url;
  removeDatabase = async () => db.remove();
} else {
  const server = await postgresServer(pgUrl(), say);
  if (!server) throw new Error(`PostgreSQL ${redact(pgUrl())} does not answer`);
  serverNote = `, PostgreSQL ${server.version} (autovacuum ${server.autovacuum})`;
  if (server.autovacuum !== 'on') {
    say(
      'Warning: autovacuum is off on this server: the dead rows of claims, settles and retention are never cleaned up, so tables and indexes bloat over the run as they would not on a default server.',
    );
  }
  const schema = `soak_${process.pid}`;
  const u = new URL(pgUrl());
  u.searchParams.set('schema', schema);
  url = u.toString();
  removeDatabase = () => dropSchema(schema);
}
// Migrated once here, before the children race to do it.
await (await createTaskmill({ database: url, tasks: [] })).close();
prober =
  store === 'sqlite'
    ? sqliteProber(url.slice('sqlite:'.length))
    : await postgresProber(pgUrl(), new URL(url).searchParams.get('schema')!);
const database = store === 'sqlite' ? 'a fresh file' : redact(pgUrl());
say(`Soak on ${store} (${database}): ${settings.minutes} min, ${windows} windows`);

// --- the run -----------------------------------------------------------------------------------

const record = new SoakRecord(windowMs, windows);
const childConfig = (role: SoakChildConfig['role']): SoakChildConfig => ({
  url,
  role,
  sampleMs: settings.sampleMs,
  concurrency: settings.concurrency,
  retainMs: settings.retainMs,
  retentionEveryMs: settings.retentionEveryMs,
  rate: settings.rate,
  durationMs,
  failRate: settings.failRate,
  timeoutRate: settings.timeoutRate,
  timeoutMs: settings.timeoutMs,
});
const start = (role: SoakChildConfig['role']) =>
  startChild(buildDir, childConfig(role), (l) => record.line(l), say);
const loadBefore = loadavg()[0] ?? 0;
const steady = start('steady');
let restarted: Child = start('restarted');
await Promise.all([steady.ready, restarted.ready]);
const submitter = start('submitter');
const t0 = (await submitter.ready).at;
record.setStart(t0);

let probing = false;
const sampler = setInterval(() => {
  if (probing) return;
  probing = true;
  const at = wallMs();
  prober
    .probe([steady.pid, restarted.pid, submitter.pid])
    .then((p) => record.probe(at, p))
    .catch((e: unknown) => say(`probe failed: ${String(e)}`))
    .finally(() => {
      probing = false;
    });
}, settings.sampleMs);

const restarts: Restart[] = [];
const restartLoop = (async () => {
  for (let k = 0; k < windows; k++) {
    const at = windowMs / 2 + k * windowMs;
    await sleep(t0 + at - wallMs());
    const r = await restartChild(restarted, () => start('restarted'), at);
    restarted = r.child;
    restarts.push(r.restart);
    say(`  restart at ${Math.round(at / 1000)} s: stopped in ${r.restart.stopMs} ms`);
  }
})();

const submitterEnd = await submitter.exited;
if (submitterEnd.code !== 0)
  say(`submitter ended with ${submitterEnd.signal ?? submitterEnd.code}`);
await restartLoop;
const drainStart = wallMs();
while (record.totals.ended < record.totals.submitted && wallMs() - drainStart < DRAIN_LIMIT_MS) {
  await sleep(250);
}
const drainMs = Math.round(wallMs() - drainStart);
clearInterval(sampler);
await Promise.all([stopChild(steady), stopChild(restarted)]);
await prober.close();
await removeDatabase();

// --- the report --------------------------------------------------------------------------------

const summary = record.windows();
const checks = record.checks(summary, settings.rate);
const cpu = record.cpuByRole();
const { totals } = record;
const ended = summary.reduce((n, w) => n + w.ended, 0);
const perTask = (ms: number, n: number) => (n > 0 ? Number((ms / n).toFixed(3)) : 0);
const machine = `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'})${serverNote}; 1-minute load ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after`;
const reportTotals = {
  ...totals,
  maxBehind: record.maxBehind,
  tasksPerSecond: Math.round(ended / (durationMs / 1000)),
  workerCpuMsPerTask: perTask((cpu['steady'] ?? 0) + (cpu['restarted'] ?? 0), totals.ended),
  submitterCpuMsPerTask: perTask(cpu['submitter'] ?? 0, totals.submitted),
  drainMs,
};
const fullSettings = { ...settings, database };
console.log(soakReport(fullSettings, machine, summary, restarts, reportTotals, checks).join('\n'));

const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(
  resultsDir,
  `soak-${store}-${settings.minutes}min-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
writeFileSync(
  file,
  JSON.stringify(
    {
      settings: fullSettings,
      machine,
      windows: summary,
      restarts,
      totals: reportTotals,
      checks,
      series: record.series(),
    },
    null,
    2,
  ),
);
console.log(`\nFigures: ${file}`);
process.exitCode = checks.every((c) => c.pass) ? 0 : 1;
