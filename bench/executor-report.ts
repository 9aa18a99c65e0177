type Row = Record<string, number | string>;

// CPU-bound tasks (a chain of SHA-256 over 1 MiB, about 30 ms of one core) at concurrency 2 with
// pools of 2, one task per core; no-op tasks at concurrency 8 with pools of 2, so that every
// member finds its next task waiting when it finishes one and the figure is the cost of the hop
// to the member and back, not the worker's settle-and-claim round trip.
export const EXECUTOR_CASES: { work: 'cpu' | 'noop'; concurrency: number; size: number }[] = [
  { work: 'cpu', concurrency: 2, size: 2 },
  { work: 'noop', concurrency: 8, size: 2 },
];

export function executorCounts(quick: boolean): { cpu: number; noop: number } {
  return quick ? { cpu: 40, noop: 1_000 } : { cpu: 200, noop: 5_000 };
}

/** The executor section: one row per work and executor, ratios against inline, then notes. */
export function executorTable(rows: Row[]): string[] {
  const num = (r: Row | undefined, key: string) => Number(r?.[key] ?? Number.NaN);
  const find = (work: unknown, kind: string) =>
    rows.find((r) => r['work'] === work && r['kind'] === kind);
  const times = (v: number, base: number) =>
    Number.isFinite(v) && Number.isFinite(base) && base > 0 ? `${(v / base).toFixed(2)}×` : '–';
  const rate = (v: number) => (v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
  const lines = [
    `Executors (SQLite), one worker process; the clock runs from startWorker to the last task completed (pool start included); "after the first done" leaves the start out:`,
    '',
    '| work | executor | tasks | concurrency / pool | tasks/s | × inline | tasks/s after the first done | × inline | first done ms (CPU ms by then) | claim-to-completed p50 / p99 ms | CPU ms per task after the first done | cores busy | peak RSS MB, whole tree (member processes) | other processes, cores busy |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const inline = find(r['work'], 'inline');
    lines.push(
      `| ${r['work']} | ${r['kind']} | ${r['completed']}${r['capped'] ? ` (${r['capped']})` : ''} | ${r['concurrency']} / ${r['poolSize'] || '–'} | ${rate(num(r, 'tasksPerSecond'))} | ${times(num(r, 'tasksPerSecond'), num(inline, 'tasksPerSecond'))} | ${rate(num(r, 'steadyPerSecond'))} | ${times(num(r, 'steadyPerSecond'), num(inline, 'steadyPerSecond'))} | ${Math.round(num(r, 'firstDoneMs'))} (${r['cpuMsToFirstDone']}) | ${r['p50Ms']} / ${r['p99Ms']} | ${r['steadyCpuMsPerTask']} | ${r['coresBusy']} | ${r['peakTreeRssMb']}${r['peakMembersRssMb'] ? ` (${r['peakMembersRssMb']})` : ''} | ${r['othersCoresBusy']} |`,
    );
  }
  lines.push('');
  const cpuRow = rows.find((r) => r['work'] === 'cpu');
  if (cpuRow) {
    lines.push(
      `- cpu: a chain of ${cpuRow['hashesPerTask']} SHA-256 digests over ${cpuRow['hashedMiB']} MiB per task; the handler's own time, p50, and how long a member (the event loop, inline) waited between two tasks, p50 / p90: ${rows
        .filter((r) => r['work'] === 'cpu')
        .map(
          (r) =>
            `${r['kind']} ${r['handlerP50Ms']} ms, ${r['idleBetweenTasksP50Ms']} / ${r['idleBetweenTasksP90Ms']} ms`,
        )
        .join('; ')}.`,
    );
  }
  const cpuInline = find('cpu', 'inline');
  const pooled = ['thread', 'process'].map((kind) => [kind, find('cpu', kind)] as const);
  if (cpuInline && pooled.every(([, r]) => r)) {
    lines.push(
      `- cpu against inline (the aim is at least 1.7×): ${pooled
        .map(
          ([kind, r]) =>
            `${kind} ${times(num(r, 'steadyPerSecond'), num(cpuInline, 'steadyPerSecond'))} after the first done, ${times(num(r, 'tasksPerSecond'), num(cpuInline, 'tasksPerSecond'))} over the whole run`,
        )
        .join('; ')}.`,
    );
  }
  for (const kind of ['thread', 'process']) {
    const noop = find('noop', kind);
    const base = find('noop', 'inline');
    if (!noop || !base) continue;
    const wall = 1000 / num(noop, 'steadyPerSecond') - 1000 / num(base, 'steadyPerSecond');
    const cpuMs = num(noop, 'steadyCpuMsPerTask') - num(base, 'steadyCpuMsPerTask');
    lines.push(
      `- noop on ${kind}: ${wall.toFixed(3)} ms more wall time per task than inline and ${cpuMs.toFixed(3)} ms more CPU per task (the whole tree), both after the first done; the pool's start: ${Math.round(num(noop, 'firstDoneMs') - num(base, 'firstDoneMs'))} ms later to the first done, ${Math.round(num(noop, 'cpuMsToFirstDone') - num(base, 'cpuMsToFirstDone'))} ms more CPU.`,
    );
  }
  for (const r of rows) {
    const odd: string[] = [];
    if (Number(r['failed']) > 0 || Number(r['retries']) > 0) {
      odd.push(`${r['failed']} failed, ${r['retries']} retried`);
    }
    if (Number(r['membersReplaced']) > 0) odd.push(`${r['membersReplaced']} members replaced`);
    if (Number(r['membersAliveAfterClose']) > 0) {
      odd.push(`${r['membersAliveAfterClose']} member processes alive after close`);
    }
    if (odd.length > 0) lines.push(`- ${r['work']}, ${r['kind']}: ${odd.join('; ')}`);
  }
  lines.push(
    '- Peak RSS: sampled every 100 ms, VmRSS of the worker process (its threads included) plus that of every member process (the pids worker.pools() names and the child processes /proc lists). CPU: the worker process (threads included) plus utime + stime of each member process.',
  );
  return lines;
}
