/** The columns of the side-by-side table: what each measures and which way is better. */
export interface Measure {
  key: string;
  head: string;
  better: 'higher' | 'lower';
}
export function measures(counts: {
  bulk: number;
  single: number;
  c32: number;
  c1: number;
}): Measure[] {
  return [
    {
      key: 'bulk',
      head: `bulk enqueue/s (${counts.bulk.toLocaleString('en')} in one call)`,
      better: 'higher',
    },
    {
      key: 'single',
      head: `single enqueue/s (${counts.single.toLocaleString('en')}, 50 in flight)`,
      better: 'higher',
    },
    {
      key: 'c32',
      head: `processed/s, concurrency 32 (${counts.c32.toLocaleString('en')})`,
      better: 'higher',
    },
    {
      key: 'c1',
      head: `processed/s, concurrency 1 (${counts.c1.toLocaleString('en')})`,
      better: 'higher',
    },
    { key: 'p50', head: 'enqueue-to-start p50 ms (100/s)', better: 'lower' },
    { key: 'p99', head: 'enqueue-to-start p99 ms (100/s)', better: 'lower' },
    { key: 'rss', head: 'worker peak RSS MB (concurrency 32)', better: 'lower' },
  ];
}
