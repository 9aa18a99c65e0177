import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';

/** A no-op task type: the benchmarks measure the queue, not the work. */
export const noopInput = z.object({ i: z.number(), t: z.number().optional() });
export const noop = defineTask({
  name: 'bench.noop',
  input: noopInput,
  run: () => null,
});

/** Wall-clock milliseconds comparable between processes on one machine. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export function freshDatabase(): { url: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'taskmill-bench-'));
  return {
    url: `sqlite:${join(dir, 'bench.db')}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Every scenario prints one JSON line as its result, last on stdout. */
export function report(result: Record<string, number | string>): void {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(peakRssMb) })}\n`);
}
