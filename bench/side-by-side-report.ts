/**
 * The side-by-side tables: every system's figures with the best anchor and taskmill's ratios to
 * it; the ratios issue 11's aims name, each marked met or missed; and taskmill processing
 * compiled against the TypeScript sources it is used from.
 */
import type { Counts, Measure } from './measures.ts';
import type { Processing, SideBySide } from './side-by-side.ts';

/**
 * The aims the ratio table checks. Bulk submit, latency, peak RSS and the flat cost per task are
 * issue 11's figures; the processing ratios to the anchors are issue #4's
 * (docs/project/benchmarks.md, "Against the aims"); for CPU per task the aim taken is no more
 * than Graphile Worker tuned's.
 */
export const AIMS = {
  /** taskmill PostgreSQL processing at concurrency 32 ÷ Graphile Worker tuned, at least. */
  pgVsGraphile: 1.2,
  /** … ÷ pg-boss tuned, at least. */
  pgVsPgBoss: 3,
  /** taskmill PostgreSQL worker CPU per task ÷ Graphile Worker tuned's, at most. */
  pgCpuVsGraphile: 1,
  /** taskmill SQLite processing ÷ BullMQ, defaults and tuned, at least. */
  sqliteVsBullmq: 2,
  sqliteBulkPerSecond: 200_000,
  sqliteP50Ms: 0.5,
  pgP50Ms: 1.5,
  p99Ms: 5,
  rssMb: 100,
  /** Processing on the long queue ÷ on the short one, at least: the cost per task stays flat. */
  flat: 0.95,
  /** Peak RSS after the long queue ÷ after the short one, at most: memory does not grow with the
   * tasks processed. */
  rssGrowth: 1.1,
};

const SQLITE = 'taskmill, SQLite';
const PG = 'taskmill, PostgreSQL';
const MYSQL = 'taskmill, MariaDB';
const GRAPHILE = 'Graphile Worker, tuned';
const PGBOSS = 'pg-boss, tuned';

const int = (v: number) => Math.round(v).toLocaleString('en');
export function fmt(v: number | undefined, key: string): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (key === 'p50' || key === 'p99') return v.toFixed(2);
  return v < 10 ? v.toFixed(1) : int(v);
}
const ratio = (r: number) => `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function sideBySideTable(data: SideBySide, measures: Measure[], counts: Counts): string[] {
  const { results, incomplete, scaling, notes } = data;
  const anchors = [...results.entries()].filter(([label]) => !label.startsWith('taskmill'));
  const best = (m: Measure): [string, number] | null => {
    let found: [string, number] | null = null;
    for (const [label, f] of anchors) {
      const v = f[m.key];
      if (v === undefined || incomplete.has(`${label}:${m.key}`)) continue;
      if (!found || (m.better === 'higher' ? v > found[1] : v < found[1])) found = [label, v];
    }
    return found;
  };
  // The rows of several worker processes leave the columns they do not measure empty.
  const row = (label: string, f: Record<string, number>, partial = false) =>
    `| ${label} | ${measures.map((m) => (partial && !(m.key in f) ? '' : fmt(f[m.key], m.key))).join(' | ')} |`;
  const out = [
    `| | ${measures.map((m) => m.head).join(' | ')} |`,
    `| --- | ${measures.map(() => '---:').join(' | ')} |`,
  ];
  for (const [label, f] of results) out.push(row(label, f));
  for (const s of scaling) {
    const plural = s.workers > 1 ? 'es' : '';
    out.push(
      row(
        `${s.label}, ${s.workers} worker process${plural} × 32 (${int(counts.procs)})`,
        {
          c32big: s.perSecond,
          rss: s.rss,
          cpu: s.cpu,
        },
        true,
      ),
    );
  }
  const bests = measures.map(best);
  out.push(
    `| best anchor | ${bests.map((b, i) => (b ? `${fmt(b[1], measures[i]?.key ?? '')} (${b[0]})` : '–')).join(' | ')} |`,
  );
  for (const label of [SQLITE, PG, MYSQL]) {
    const f = results.get(label);
    if (!f) continue;
    const ratios = measures.map((m, i) => {
      const b = bests[i];
      const v = f[m.key];
      return !b || v === undefined || b[1] === 0 ? '–' : ratio(v / b[1]);
    });
    out.push(`| ${label} ÷ best anchor | ${ratios.join(' | ')} |`);
  }
  out.push(
    '',
    'Ratios are taskmill ÷ the best anchor: above 1 is better for rates, below 1 is better for latency, memory and CPU. A run stopped at its cap does not count as best anchor for memory, CPU or latency.',
    `Processing at concurrency 32 on ${int(counts.c32)} queued is the median of ${counts.runs} runs by tasks/s (a run stopped at its cap is not repeated), its RSS and CPU those of the median run; on ${int(counts.c32big)} queued it runs once. Processing rates and worker CPU (user + system) run from the first task handled to the last one recorded, so a system's one-off start-up is left out (for several worker processes: from the start signal to the stop, their CPU summed), per 1,000 tasks processed.`,
  );
  for (const [label, runs] of Object.entries(data.c32Runs)) {
    if (runs.length > 1)
      out.push(`- ${label}, concurrency 32, runs: ${runs.map(int).join(', ')}/s`);
  }
  for (const n of notes) out.push(`- ${n}`);
  return out;
}

/** The ratios the aims name, one row per aim; rows without their figures are left out.
 * `sqliteSameProcess`: the SQLite detail's enqueue-to-start in one process, which the SQLite
 * latency aim names (the side-by-side row submits from another process). */
export function aimsTable(
  data: SideBySide,
  counts: Counts,
  sqliteSameProcess?: { p50: number; p99: number },
): string[] {
  const get = (label: string, key: string) => data.results.get(label)?.[key];
  const rows: string[] = [];
  const add = (aim: string, measured: string, ok: boolean) =>
    rows.push(`| ${aim} | ${measured} | ${verdict(ok)} |`);
  const c32 = `concurrency 32, ${int(counts.c32)} queued`;

  const pg = get(PG, 'c32');
  for (const [anchor, aim] of [
    [GRAPHILE, AIMS.pgVsGraphile],
    [PGBOSS, AIMS.pgVsPgBoss],
  ] as const) {
    const a = get(anchor, 'c32');
    if (pg === undefined || !a) continue;
    add(
      `taskmill PostgreSQL processing (${c32}) ≥ ${aim}× ${anchor}`,
      `${int(pg)}/s vs ${int(a)}/s: ${ratio(pg / a)}`,
      pg / a >= aim,
    );
  }
  const pgCpu = get(PG, 'cpu');
  const gCpu = get(GRAPHILE, 'cpu');
  if (pgCpu !== undefined && gCpu) {
    add(
      `taskmill PostgreSQL worker CPU per task ≤ ${AIMS.pgCpuVsGraphile}× ${GRAPHILE}'s`,
      `${fmt(pgCpu, 'cpu')} vs ${fmt(gCpu, 'cpu')} ms per 1,000 tasks: ${ratio(pgCpu / gCpu)}`,
      pgCpu / gCpu <= AIMS.pgCpuVsGraphile,
    );
  }
  for (const [key, what] of [
    ['c32', c32],
    ['c1', `concurrency 1, ${int(counts.c1)} queued`],
  ] as const) {
    const s = get(SQLITE, key);
    const d = get('BullMQ, defaults', key);
    const t = get('BullMQ, tuned', key);
    if (s === undefined || !d || !t) continue;
    add(
      `taskmill SQLite processing (${what}) ≥ ${AIMS.sqliteVsBullmq}× BullMQ, defaults and tuned`,
      `${int(s)}/s vs ${int(d)}/s and ${int(t)}/s: ${ratio(s / d)} and ${ratio(s / t)}`,
      Math.min(s / d, s / t) >= AIMS.sqliteVsBullmq,
    );
  }
  const bulk = get(SQLITE, 'bulk');
  if (bulk !== undefined) {
    add(
      `taskmill SQLite bulk submit (${int(counts.bulk)} in one call) ≥ ${int(AIMS.sqliteBulkPerSecond)}/s`,
      `${int(bulk)}/s`,
      bulk >= AIMS.sqliteBulkPerSecond,
    );
  }
  for (const [label, store, p50Aim] of [
    [SQLITE, 'SQLite (same process)', AIMS.sqliteP50Ms],
    [PG, 'PostgreSQL', AIMS.pgP50Ms],
  ] as const) {
    const same = label === SQLITE ? sqliteSameProcess : undefined;
    const p50 = label === SQLITE ? same?.p50 : get(label, 'p50');
    const p99 = label === SQLITE ? same?.p99 : get(label, 'p99');
    if (p50 !== undefined) {
      add(
        `taskmill ${store} enqueue-to-start p50 ≤ ${p50Aim} ms`,
        `${fmt(p50, 'p50')} ms`,
        p50 <= p50Aim,
      );
    }
    if (p99 !== undefined) {
      add(
        `taskmill ${store} enqueue-to-start p99 ≤ ${AIMS.p99Ms} ms`,
        `${fmt(p99, 'p99')} ms`,
        p99 <= AIMS.p99Ms,
      );
    }
  }
  for (const [label, store] of [
    [SQLITE, 'SQLite'],
    [PG, 'PostgreSQL'],
  ] as const) {
    const rss = get(label, 'rss');
    if (rss === undefined) continue;
    add(
      `taskmill ${store} worker peak RSS at concurrency 32 ≤ ${AIMS.rssMb} MB`,
      `${int(rss)} MB`,
      rss <= AIMS.rssMb,
    );
  }
  const pgScaling = data.scaling.filter((s) => s.label === PG);
  const one = pgScaling.find((s) => s.workers === 1);
  const two = pgScaling.find((s) => s.workers === 2);
  const four = pgScaling.find((s) => s.workers === 4);
  if (one && two && four) {
    const all = [one, two, four];
    add(
      `taskmill PostgreSQL: 2 worker processes × 32 faster than 1, and 4 not slower than 2 (${int(counts.procs)} queued)`,
      `1 / 2 / 4 processes: ${all.map((s) => `${int(s.perSecond)}/s`).join(' / ')} (${all.map((s) => ratio(s.perSecond / one.perSecond)).join(' / ')})`,
      two.perSecond > one.perSecond && four.perSecond >= two.perSecond,
    );
  }
  for (const [label, store] of [
    [SQLITE, 'SQLite'],
    [PG, 'PostgreSQL'],
  ] as const) {
    const short = get(label, 'c32');
    const long = get(label, 'c32big');
    if (!short || long === undefined) continue;
    const cpu = get(label, 'cpu');
    const cpuBig = get(label, 'cpuBig');
    const cpuNote =
      cpu !== undefined && cpuBig !== undefined
        ? `; CPU per 1,000 tasks ${fmt(cpu, 'cpu')} → ${fmt(cpuBig, 'cpu')} ms`
        : '';
    add(
      `taskmill ${store} processing on ${int(counts.c32big)} queued ÷ on ${int(counts.c32)} ≥ ${AIMS.flat} (flat)`,
      `${int(long)}/s vs ${int(short)}/s: ${ratio(long / short)}${cpuNote}`,
      long / short >= AIMS.flat,
    );
    const rss = get(label, 'rss');
    const rssBig = get(label, 'rssBig');
    if (rss !== undefined && rssBig !== undefined) {
      add(
        `taskmill ${store} worker peak RSS after ${int(counts.c32big)} tasks ≤ ${AIMS.rssGrowth}× after ${int(counts.c32)} (does not grow with tasks processed)`,
        `${int(rssBig)} MB vs ${int(rss)} MB: ${ratio(rssBig / rss)}`,
        rssBig / rss <= AIMS.rssGrowth,
      );
    }
  }
  if (rows.length === 0) return [];
  return [
    'Against the aims (issue 11):',
    '',
    '| aim | measured | |',
    '| --- | --- | --- |',
    ...rows,
  ];
}

/** taskmill's processing compiled (as the bench runs it) against the TypeScript sources. */
export function sourcesTable(data: SideBySide, counts: Counts): string[] {
  if (data.sources.length === 0) return [];
  const out = [
    `Compiled vs TypeScript sources (Node's type stripping of src/, as the package is used from today): processing at concurrency 32, ${int(counts.c32)} queued; compiled is the median of ${counts.runs} runs above, the sources one run right after them.`,
    '',
    '| | processed/s | worker CPU ms per 1,000 tasks | worker peak RSS MB |',
    '| --- | ---: | ---: | ---: |',
  ];
  const line = (label: string, p: Processing) =>
    `| ${label} | ${int(p.perSecond)} | ${fmt(p.cpu, 'cpu')} | ${int(p.rss)} |`;
  for (const { label, compiled, source } of data.sources) {
    const rss = source.rss - compiled.rss;
    out.push(
      line(`${label}, compiled`, compiled),
      line(`${label}, TypeScript sources`, source),
      `| ${label}, sources ÷ compiled | ${ratio(source.perSecond / compiled.perSecond)} | ${ratio(source.cpu / compiled.cpu)} | ${ratio(source.rss / compiled.rss)} (${rss >= 0 ? '+' : ''}${Math.round(rss)} MB) |`,
    );
  }
  return out;
}
