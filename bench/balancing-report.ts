type Row = Record<string, number | string>;

/** Push balancing (bench/scenarios/balancing.ts): [strategy, tasks, ms per task, per second].
 * Each strategy with every task submitted at once (the units stay full until the queue is
 * empty), then with tasks arriving at a pace the units keep up with. */
export function balancingCases(quick: boolean): [string, number, number, number][] {
  const burst = quick ? 1_000 : 10_000;
  const paced = quick ? 300 : 2_000;
  const cases: [string, number, number, number][] = [];
  for (const rate of [0, 50]) {
    for (const strategy of ['least-loaded', 'round-robin', 'by-unit-type']) {
      cases.push([strategy, rate === 0 ? burst : paced, 20, rate]);
    }
  }
  return cases;
}

interface UnitResult {
  id: string;
  capacity: number;
  unitType: string;
  a: number;
  b: number;
  maxHeld: number;
  refused: number;
}

const int = (v: number) => Math.round(v).toLocaleString('en');
const pct = (part: number, whole: number) =>
  `${whole === 0 ? '0' : ((100 * part) / whole).toFixed(1)} %`;

/** One row per run: each unit's tasks and share, beside the capacity shares. */
export function balancingTable(rows: Row[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const shape = JSON.parse(String(first['units'])) as UnitResult[];
  const capacity = shape.reduce((n, u) => n + u.capacity, 0);
  const short = (type: string) => type.replace('bench.unit.', '');
  const lines = [
    'Push balancing (SQLite): 4 push units on 127.0.0.1 of capacity 1, 2, 4 and 8, each taking the same time per task; half the tasks of each type; a fresh server and database per row:',
    '',
    `| strategy | tasks arrive | ${shape.map((u) => `${u.id} (capacity ${u.capacity}, type ${short(u.unitType)})`).join(' | ')} | tasks off their unit's type | most held at once | total s | tasks/s |`,
    `| --- | --- | ${shape.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
    `| *capacity share* | | ${shape.map((u) => pct(u.capacity, capacity)).join(' | ')} | | | | |`,
  ];
  for (const r of rows) {
    const units = JSON.parse(String(r['units'])) as UnitResult[];
    const ran = units.reduce((n, u) => n + u.a + u.b, 0);
    const offType = units.reduce((n, u) => n + (u.unitType.endsWith('.a') ? u.b : u.a), 0);
    const rate = Number(r['rate']);
    const arrival =
      rate === 0 ? `${int(Number(r['tasks']))} at once` : `${int(Number(r['tasks']))} at ${rate}/s`;
    lines.push(
      `| ${r['strategy']} | ${arrival} | ${units.map((u) => `${int(u.a + u.b)} (${pct(u.a + u.b, ran)})`).join(' | ')} | ${int(offType)} | ${units.map((u) => u.maxHeld).join(' / ')} | ${(Number(r['totalMs']) / 1000).toFixed(1)} | ${int(Number(r['tasksPerSecond']))} |`,
    );
  }
  lines.push(
    '',
    `- Each task takes ${first['taskMs']} ms at its unit (a timer); the total runs from the first submit to the last completion. Failed completions or refused signatures in any row: ${rows.reduce((n, r) => n + Number(r['failed']), 0)} / ${rows.reduce((n, r) => n + (JSON.parse(String(r['units'])) as UnitResult[]).reduce((m, u) => m + u.refused, 0), 0)}.`,
  );
  return lines;
}
