/** The columns of the side-by-side table: what each measures and which way is better. */
export interface Measure {
  key: string;
  head: string;
  better: 'higher' | 'lower';
}

/** The counts of the side-by-side scenarios (and the cap, in seconds, of a processing run). */
export interface Counts {
  bulk: number;
  single: number;
  /** Processing at concurrency 32, run `runs` times; the median is reported. */
  c32: number;
  /** Processing at concurrency 32 once more on a longer queue: is the cost per task flat? */
  c32big: number;
  c1: number;
  latency: number;
  cap: number;
  procs: number;
  runs: number;
}

export function counts(quick: boolean): Counts {
  return quick
    ? {
        bulk: 10_000,
        single: 2_000,
        c32: 5_000,
        c32big: 10_000,
        c1: 2_000,
        latency: 200,
        cap: 10,
        procs: 10_000,
        runs: 3,
      }
    : {
        bulk: 100_000,
        single: 20_000,
        c32: 20_000,
        c32big: 100_000,
        c1: 20_000,
        latency: 1_000,
        cap: 30,
        procs: 100_000,
        runs: 3,
      };
}

const n = (v: number) => v.toLocaleString('en');

export function measures(c: Counts): Measure[] {
  return [
    { key: 'bulk', head: `bulk enqueue/s (${n(c.bulk)} in one call)`, better: 'higher' },
    { key: 'single', head: `single enqueue/s (${n(c.single)}, 50 in flight)`, better: 'higher' },
    {
      key: 'c32',
      head: `processed/s, concurrency 32 (${n(c.c32)} queued, median of ${c.runs})`,
      better: 'higher',
    },
    {
      key: 'c32big',
      head: `processed/s, concurrency 32 (${n(c.c32big)} queued)`,
      better: 'higher',
    },
    { key: 'c1', head: `processed/s, concurrency 1 (${n(c.c1)})`, better: 'higher' },
    { key: 'p50', head: 'enqueue-to-start p50 ms (100/s)', better: 'lower' },
    { key: 'p99', head: 'enqueue-to-start p99 ms (100/s)', better: 'lower' },
    { key: 'rss', head: 'worker peak RSS MB (concurrency 32)', better: 'lower' },
    { key: 'cpu', head: 'worker CPU ms per 1,000 tasks (concurrency 32)', better: 'lower' },
  ];
}
