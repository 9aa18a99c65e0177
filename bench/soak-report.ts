/** The soak's printed report: settings, one row per window, the totals, and the checks. */
import type { Check } from './soak-checks.ts';
import type { Restart } from './soak-children.ts';
import { TABLES } from './soak-probes.ts';
import type { WindowSummary } from './soak-record.ts';

export interface SoakSettings {
  store: 'sqlite' | 'postgres';
  database: string;
  minutes: number;
  windowMs: number;
  windows: number;
  rate: number;
  failRate: number;
  timeoutRate: number;
  timeoutMs: number;
  concurrency: number;
  retainMs: number;
  retentionEveryMs: number;
  sampleMs: number;
}

export interface SoakTotals {
  submitted: number;
  ended: number;
  submitErrors: number;
  reaped: number;
  leaseLost: number;
  maxBehind: number;
  tasksPerSecond: number;
  workerCpuMsPerTask: number;
  submitterCpuMsPerTask: number;
  drainMs: number;
}

const v = (x: number | null) => (x === null ? '–' : String(Number(x.toFixed(1))));
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export function soakReport(
  s: SoakSettings,
  machine: string,
  windows: WindowSummary[],
  restarts: Restart[],
  totals: SoakTotals,
  checks: Check[],
): string[] {
  const out: string[] = [];
  out.push(
    `taskmill soak — ${s.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${s.database}), ${s.minutes} min in ${s.windows} windows of ${seconds(s.windowMs)}; ${s.rate} tasks/s offered by single submits, ${s.failRate * 100}% failing (2 attempts), ${s.timeoutRate * 100}% timing out (hard timeout ${s.timeoutMs} ms); 2 worker processes at concurrency ${s.concurrency}, one of them SIGTERMed and restarted every ${seconds(s.windowMs)} (half a window in); retention: finished tasks deleted ${seconds(s.retainMs)} after they end, run every ${seconds(s.retentionEveryMs)}; sampled every ${seconds(s.sampleMs)}`,
  );
  out.push(machine, '');
  out.push(
    `| window | submitted/s | ended/s | claims | claim p50 / p99 ms | submit-to-start p50 / p99 ms | submit p99 ms | RSS MB steady / restarted / submitter | heap MB steady / restarted / submitter (after GC) | connections | ${TABLES.join(' / ')} rows | db MB | purged |`,
  );
  out.push(`| ---: |${' ---: |'.repeat(12)}`);
  for (const w of windows) {
    out.push(
      `| ${w.window} | ${w.submittedPerSecond} | ${w.endedPerSecond} | ${w.claims} | ${v(w.claimP50Ms)} / ${v(w.claimP99Ms)} | ${v(w.startP50Ms)} / ${v(w.startP99Ms)} | ${v(w.submitP99Ms)} | ${v(w.rssMb.steady)} / ${v(w.rssMb.restarted)} / ${v(w.rssMb.submitter)} | ${v(w.heapMb.steady)} / ${v(w.heapMb.restarted)} / ${v(w.heapMb.submitter)} (${v(w.submitterLiveHeapMb)}) | ${v(w.connectionsMin)}–${v(w.connectionsMax)} | ${TABLES.map((t) => v(w.rows[t])).join(' / ')} | ${v(w.dbMb)} | ${w.purged} |`,
    );
  }
  out.push('');
  out.push(
    `Totals: ${totals.submitted} tasks submitted (${totals.submitErrors} submits refused, at most ${totals.maxBehind} behind the schedule), ${totals.ended} ended; ${totals.tasksPerSecond} tasks/s ended over the windows; CPU per task: workers ${totals.workerCpuMsPerTask} ms, submitter ${totals.submitterCpuMsPerTask} ms; drain after the last submit ${seconds(totals.drainMs)}; leases reaped ${totals.reaped}, lease-lost writes ${totals.leaseLost}.`,
  );
  out.push(
    `Restarts (at: SIGTERM-to-exit, start-to-ready, ended by): ${restarts.map((r) => `${seconds(r.at)}: ${r.stopMs} ms, ${r.readyMs} ms, ${r.ended}`).join('; ') || 'none'}.`,
  );
  out.push('');
  for (const c of checks) out.push(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
  return out;
}
