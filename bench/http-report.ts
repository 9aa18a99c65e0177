type Row = Record<string, number | string>;

/** The HTTP section's measurements: [mode, requests, tasks per request, in flight, warm-up
 * requests, worker concurrency]. The rows without a worker show what the worker takes from the
 * submits on the same two cores. */
export function httpCases(quick: boolean): [string, number, number, number, number, number][] {
  const singles = quick ? 5_000 : 50_000;
  const batches = quick ? 20 : 200;
  const singleWarmUp = quick ? 1_000 : 5_000;
  const batchWarmUp = quick ? 3 : 10;
  return [
    ['single', singles, 1, 32, singleWarmUp, 32],
    ['batch', batches, 1_000, 4, batchWarmUp, 32],
    ['single', singles, 1, 32, singleWarmUp, 0],
    ['batch', batches, 1_000, 4, batchWarmUp, 0],
  ];
}

export const HTTP_AIMS = { singlePerSecond: 10_000, singleP99Ms: 10, batchTasksPerSecond: 100_000 };

const int = (v: unknown) => Math.round(Number(v)).toLocaleString('en');

/** The table, then the aims against the rows with the worker running. */
export function httpTable(rows: Row[]): string[] {
  const lines = [
    'HTTP API (SQLite): server and worker in one process, the load generator in another (one keep-alive connection per request in flight); a fresh process pair and database per row:',
    '',
    '| scenario | requests × tasks | tasks/s | requests/s | latency p50 / p95 / p99 / max ms | server cores busy (CPU µs per task) | generator cores busy (CPU µs per request) | other processes, cores busy | completed by the last response (of submitted) | worker tasks/s meanwhile (per claim) | drain ms | server peak RSS MB | failed requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const worker = Number(r['workerConcurrency']) > 0;
    lines.push(
      `| ${r['scenario']} | ${int(r['requests'])} × ${int(r['tasksPerRequest'])} | ${int(r['tasksPerSecond'])} | ${int(r['requestsPerSecond'])} | ${r['p50Ms']} / ${r['p95Ms']} / ${r['p99Ms']} / ${r['maxMs']} | ${r['serverCores']} (${r['serverCpuUsPerTask']}) | ${r['generatorCores']} (${r['generatorCpuUsPerRequest']}) | ${r['othersCores']} | ${worker ? `${int(r['completedAtSubmitEnd'])} (${int(r['submitted'])})` : '–'} | ${worker ? `${int(r['workerTasksPerSecond'])} (${r['tasksPerClaim']})` : '–'} | ${worker && r['drainMs'] !== '' ? int(r['drainMs']) : '–'} | ${r['serverPeakRssMb']} | ${r['errors']} |`,
    );
  }
  const find = (mode: string) =>
    rows.find((r) => r['mode'] === mode && Number(r['workerConcurrency']) > 0);
  const single = find('single');
  const batch = find('batch');
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  lines.push('');
  if (single) {
    const rate = Number(single['tasksPerSecond']);
    const p99 = Number(single['p99Ms']);
    lines.push(
      `- Aim: ≥ ${int(HTTP_AIMS.singlePerSecond)} single submits/s with the worker running: ${int(rate)}/s, ${verdict(rate >= HTTP_AIMS.singlePerSecond)}; p99 ≤ ${HTTP_AIMS.singleP99Ms} ms: ${p99} ms, ${verdict(p99 <= HTTP_AIMS.singleP99Ms)}.`,
    );
  }
  if (batch) {
    const rate = Number(batch['tasksPerSecond']);
    lines.push(
      `- Aim: ≥ ${int(HTTP_AIMS.batchTasksPerSecond)} tasks/s in batches of 1,000 with the worker running: ${int(rate)}/s, ${verdict(rate >= HTTP_AIMS.batchTasksPerSecond)}.`,
    );
  }
  lines.push(
    "- Cores busy: CPU seconds per second of the measured phase (process.cpuUsage of each process; the server's read over IPC at the phase boundaries); other processes: /proc/stat less the two, on 2 cores anything above about 0.1 there comes out of the figures. Drain: from the last response to the worker completing the last task submitted (warm-up included).",
  );
  return lines;
}
