/**
 * Everything the soak observes, filed by window as it arrives (the children's lines and the
 * driver's probes), and summed up at the end into one row per window and the pass/fail checks.
 * Latency samples go straight into their window's list, so a 30-minute run keeps plain arrays of
 * numbers, not an object per sample.
 */

import type { SoakLine } from './scenarios/soak-task.ts';
import {
  byWindow,
  type Check,
  endedCheck,
  flatCheck,
  growthCheck,
  latencyCheck,
  median,
  rateCheck,
  retentionCheck,
  type Timed,
  windowMax,
  windowMin,
  windowOf,
  windowPercentile,
} from './soak-checks.ts';
import { type Probe, TABLES, type TableName } from './soak-probes.ts';

export const LIMITS = { memory: 0.1, connections: 0.1, latency: 0.2, tables: 0.2, rate: 0.05 };
const ROLES = ['steady', 'restarted', 'submitter'] as const;
type Role = (typeof ROLES)[number];

export interface WindowSummary {
  window: number;
  submittedPerSecond: number;
  /** Tasks whose last attempt ended in the window. */
  ended: number;
  endedPerSecond: number;
  claims: number;
  claimP50Ms: number | null;
  claimP99Ms: number | null;
  startP50Ms: number | null;
  startP99Ms: number | null;
  submitP99Ms: number | null;
  /** Medians of the samples of each process (the restarted worker: whichever ran then). */
  rssMb: Record<Role, number | null>;
  /** V8's heap in use, medians likewise. */
  heapMb: Record<Role, number | null>;
  /** The submitter's heap in use after a forced collection (SoakLine.liveHeapMb), median. */
  submitterLiveHeapMb: number | null;
  connectionsMin: number | null;
  connectionsMax: number | null;
  /** Maxima over the window's samples. */
  rows: Record<TableName, number | null>;
  dbMb: number | null;
  purged: number;
}

export class SoakRecord {
  private start = Number.NaN;
  private readonly claim: number[][];
  private readonly started: number[][];
  private readonly submit: number[][];
  private readonly ended: number[];
  private readonly submittedIn: number[];
  private readonly purged: number[];
  private readonly rss: Record<Role, Timed[]> = { steady: [], restarted: [], submitter: [] };
  private readonly heap: Record<Role, Timed[]> = { steady: [], restarted: [], submitter: [] };
  private readonly liveHeap: Timed[] = [];
  private readonly probes: { at: number; probe: Probe }[] = [];
  /** The last cumulative CPU each process reported, by pid. */
  private readonly cpu = new Map<number, { role: string; ms: number }>();
  readonly totals = { submitted: 0, ended: 0, submitErrors: 0, reaped: 0, leaseLost: 0 };
  maxBehind = 0;

  readonly windowMs: number;
  readonly count: number;

  constructor(windowMs: number, count: number) {
    this.windowMs = windowMs;
    this.count = count;
    const lists = () => Array.from({ length: count }, (): number[] => []);
    this.claim = lists();
    this.started = lists();
    this.submit = lists();
    this.ended = Array(count).fill(0);
    this.submittedIn = Array(count).fill(0);
    this.purged = Array(count).fill(0);
  }

  /** The submitter's first schedule slot, in wall-clock ms: the soak's time 0. */
  setStart(wallMs: number): void {
    this.start = wallMs;
  }

  /** Milliseconds since the start, by the wall clock the children share. */
  since(wallMs: number): number {
    return wallMs - this.start;
  }

  line(l: SoakLine): void {
    this.cpu.set(l.pid, { role: l.role, ms: l.cpuMs });
    this.totals.submitted += l.submitted ?? 0;
    this.totals.ended += l.ended ?? 0;
    this.totals.submitErrors += l.submitErrors ?? 0;
    this.totals.reaped += l.reaped ?? 0;
    this.totals.leaseLost += l.leaseLost ?? 0;
    this.maxBehind = Math.max(this.maxBehind, l.behind ?? 0);
    if (Number.isNaN(this.start)) return;
    const at = this.since(l.at);
    if (l.kind !== 'ready') {
      this.rss[l.role].push({ at, value: l.rssMb });
      this.heap[l.role].push({ at, value: l.heapMb });
      if (l.role === 'submitter' && l.liveHeapMb !== undefined) {
        this.liveHeap.push({ at, value: l.liveHeapMb });
      }
    }
    const i = windowOf(at, this.windowMs, this.count);
    if (i === null) return;
    for (const v of l.claimMs ?? []) this.claim[i]!.push(v);
    for (const v of l.startMs ?? []) this.started[i]!.push(v);
    for (const v of l.submitMs ?? []) this.submit[i]!.push(v);
    this.ended[i]! += l.ended ?? 0;
    this.submittedIn[i]! += l.submitted ?? 0;
    this.purged[i]! += l.purged ?? 0;
  }

  probe(wallMs: number, probe: Probe): void {
    this.probes.push({ at: this.since(wallMs), probe });
  }

  /** Every sample of memory and of the probes, for plotting from the results file. */
  series() {
    return {
      rssMb: this.rss,
      heapMb: this.heap,
      submitterLiveHeapMb: this.liveHeap,
      probes: this.probes,
    };
  }

  /** CPU milliseconds of every process that ran, by role, restarted workers summed. */
  cpuByRole(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { role, ms } of this.cpu.values()) out[role] = (out[role] ?? 0) + ms;
    return out;
  }

  windows(): WindowSummary[] {
    const seconds = this.windowMs / 1000;
    const series = (pick: (p: Probe) => number) =>
      byWindow(
        this.probes.map(({ at, probe }) => ({ at, value: pick(probe) })),
        this.windowMs,
        this.count,
      );
    const conns = series((p) => p.connections);
    const liveHeap = byWindow(this.liveHeap, this.windowMs, this.count);
    const db = series((p) => p.dbMb);
    const rows = Object.fromEntries(TABLES.map((t) => [t, series((p) => p.tables[t])]));
    const medians = (by: Record<Role, Timed[]>, i: number) =>
      Object.fromEntries(
        ROLES.map((r) => [r, median(byWindow(by[r], this.windowMs, this.count)[i]!)]),
      ) as Record<Role, number | null>;
    return Array.from({ length: this.count }, (_, i) => ({
      window: i + 1,
      submittedPerSecond: Math.round(this.submittedIn[i]! / seconds),
      ended: this.ended[i]!,
      endedPerSecond: Math.round(this.ended[i]! / seconds),
      claims: this.claim[i]!.length,
      claimP50Ms: windowPercentile(this.claim[i]!, 50),
      claimP99Ms: windowPercentile(this.claim[i]!, 99),
      startP50Ms: windowPercentile(this.started[i]!, 50),
      startP99Ms: windowPercentile(this.started[i]!, 99),
      submitP99Ms: windowPercentile(this.submit[i]!, 99),
      rssMb: medians(this.rss, i),
      heapMb: medians(this.heap, i),
      submitterLiveHeapMb: median(liveHeap[i]!),
      connectionsMin: windowMin(conns[i]!),
      connectionsMax: windowMax(conns[i]!),
      rows: Object.fromEntries(TABLES.map((t) => [t, windowMax(rows[t]![i]!)])) as Record<
        TableName,
        number | null
      >,
      dbMb: windowMax(db[i]!),
      purged: this.purged[i]!,
    }));
  }

  checks(windows: WindowSummary[], rate: number): Check[] {
    return [
      growthCheck(
        'steady worker RSS',
        windows.map((w) => w.rssMb.steady),
        LIMITS.memory,
        ' MB',
      ),
      // Not its RSS: V8 grows its young generation with the submit load, by steps, up to its own
      // cap (16 → 128 MB of new space on PostgreSQL within a minute, the heap in use flat), and
      // RSS follows; what the submit path keeps shows in the heap after a collection.
      growthCheck(
        'submitter heap after a forced GC',
        windows.map((w) => w.submitterLiveHeapMb),
        LIMITS.memory,
        ' MB',
      ),
      flatCheck(
        'database connections (window maximum)',
        windows.map((w) => w.connectionsMax),
        LIMITS.connections,
      ),
      latencyCheck(
        'claim p99',
        windows.map((w) => w.claimP99Ms),
        LIMITS.latency,
      ),
      ...TABLES.map((t) =>
        growthCheck(
          `rows in ${t} (window maximum)`,
          windows.map((w) => w.rows[t]),
          LIMITS.tables,
        ),
      ),
      retentionCheck(windows.map((w) => w.purged)),
      rateCheck(
        'tasks ended per second',
        windows.map((w) => w.endedPerSecond),
        rate,
        LIMITS.rate,
      ),
      endedCheck(this.totals.submitted, this.totals.ended),
    ];
  }
}
