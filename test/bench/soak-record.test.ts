/**
 * The soak's record (bench/soak-record.ts): children's lines and the driver's probes filed by
 * window, the drain counted in the totals but in no window, CPU summed over restarted processes.
 */
import { describe, expect, it } from 'vitest';
import type { SoakLine } from '../../bench/scenarios/soak-task.ts';
import type { Probe } from '../../bench/soak-probes.ts';
import { SoakRecord } from '../../bench/soak-record.ts';

const START = 1_000_000;

function line(role: SoakLine['role'], pid: number, at: number, f: Partial<SoakLine>): SoakLine {
  return { kind: 'sample', role, pid, at: START + at, rssMb: 100, heapMb: 20, cpuMs: 0, ...f };
}

function probe(tasks: number, connections: number): Probe {
  const tables = { tasks, executions: 1, task_history: 0, task_logs: tasks, workers: 2 };
  return { tables, dbMb: 1, connections };
}

describe('SoakRecord', () => {
  it('files the lines of three windows and keeps the drain out of them', () => {
    const r = new SoakRecord(1000, 3);
    // Before the start (the workers start first): CPU is kept, the rest belongs to no window.
    r.line(line('steady', 1, -500, { kind: 'ready', cpuMs: 50 }));
    r.setStart(START);
    r.line(line('submitter', 9, 500, { submitted: 6, submitMs: [1, 2, 3], liveHeapMb: 15 }));
    r.line(line('submitter', 9, 1500, { liveHeapMb: 16 }));
    // Only the submitter's heap after a forced GC is filed; a worker never reports one anyway.
    r.line(line('steady', 1, 2500, { liveHeapMb: 99, rssMb: 130 }));
    r.line(line('steady', 1, 500, { claimMs: [1, 2, 3], startMs: [4], ended: 5, rssMb: 110 }));
    r.line(line('restarted', 2, 900, { claimMs: [30], ended: 1, purged: 7, cpuMs: 40 }));
    r.line(line('steady', 1, 1500, { claimMs: [10], ended: 3, rssMb: 120, heapMb: 30 }));
    // The restarted worker's successor, a new pid: its CPU adds to its predecessor's.
    r.line(line('restarted', 3, 2500, { claimMs: [2], ended: 4, purged: 3, cpuMs: 25 }));
    r.line(line('steady', 1, 2600, { ended: 0, rssMb: 130, cpuMs: 500, reaped: 1 }));
    // The drain: counted in the totals, in no window.
    r.line(line('steady', 1, 3100, { kind: 'final', ended: 2, claimMs: [999], cpuMs: 600 }));
    r.probe(START + 200, probe(50, 6));
    r.probe(START + 700, probe(60, 5));
    r.probe(START + 1700, probe(65, 6));
    r.probe(START + 2200, probe(55, 4));
    r.probe(START + 3500, probe(500, 9));

    const w = r.windows();
    expect(w.map((x) => x.ended)).toEqual([6, 3, 4]);
    expect(w.map((x) => x.endedPerSecond)).toEqual([6, 3, 4]);
    expect(w.map((x) => x.submittedPerSecond)).toEqual([6, 0, 0]);
    expect(w.map((x) => x.claims)).toEqual([4, 1, 1]);
    expect(w.map((x) => x.claimP99Ms)).toEqual([30, 10, 2]);
    expect(w.map((x) => x.claimP50Ms)).toEqual([2, 10, 2]);
    expect(w[0]!.startP99Ms).toBe(4);
    expect(w[1]!.startP99Ms).toBeNull();
    expect(w[0]!.submitP99Ms).toBe(3);
    expect(w.map((x) => x.rssMb.steady)).toEqual([110, 120, 130]);
    expect(w.map((x) => x.heapMb.steady)).toEqual([20, 30, 20]);
    expect(w.map((x) => x.rssMb.submitter)).toEqual([100, 100, null]);
    expect(w.map((x) => x.submitterLiveHeapMb)).toEqual([15, 16, null]);
    expect(w.map((x) => [x.connectionsMin, x.connectionsMax])).toEqual([
      [5, 6],
      [6, 6],
      [4, 4],
    ]);
    expect(w.map((x) => x.rows.tasks)).toEqual([60, 65, 55]);
    expect(w.map((x) => x.purged)).toEqual([7, 0, 3]);

    expect(r.totals).toEqual({ submitted: 6, ended: 15, submitErrors: 0, reaped: 1, leaseLost: 0 });
    expect(r.cpuByRole()).toEqual({ steady: 600, restarted: 65, submitter: 0 });
  });

  it('checks what it filed: here every check fails but the ended count', () => {
    const r = new SoakRecord(1000, 3);
    r.setStart(START);
    for (const [at, ended, rssMb, claim, tasks, liveHeapMb] of [
      [100, 500, 100, 5, 1000, 15],
      [1100, 400, 100, 7, 1000, 15],
      [2100, 500, 120, 5, 1500, 17],
    ] as const) {
      r.line(line('steady', 1, at, { ended, rssMb, claimMs: [claim] }));
      r.line(line('submitter', 9, at, { submitted: ended, rssMb: 100, liveHeapMb }));
      r.probe(START + at, probe(tasks, 4));
    }
    const verdicts = Object.fromEntries(
      r.checks(r.windows(), 500).map((c) => [c.name, c.pass] as const),
    );
    expect(verdicts).toEqual({
      'steady worker RSS': false,
      'submitter heap after a forced GC': false,
      'database connections (window maximum)': true,
      'claim p99': false,
      'rows in tasks (window maximum)': false,
      'rows in executions (window maximum)': true,
      'rows in task_history (window maximum)': true,
      'rows in task_logs (window maximum)': false,
      'rows in workers (window maximum)': true,
      'retention applied in every window after the warm-up': false,
      'tasks ended per second': false,
      'every submitted task ended': true,
    });
  });

  it("holds the submitter to its heap after a GC, not to its RSS (V8's young generation grows)", () => {
    const r = new SoakRecord(1000, 3);
    r.setStart(START);
    for (const [at, rssMb, liveHeapMb] of [
      [100, 100, 16],
      [1100, 140, 15],
      [2100, 220, 16.5],
    ] as const) {
      r.line(line('submitter', 9, at, { submitted: 500, rssMb, liveHeapMb }));
    }
    const check = r.checks(r.windows(), 500).find((c) => c.name.startsWith('submitter'));
    expect(check).toEqual({
      name: 'submitter heap after a forced GC',
      pass: true,
      detail: 'grew 10.0% (15 → 16.5 MB, window 2 → window 3), limit 10.0%',
    });
  });
});
