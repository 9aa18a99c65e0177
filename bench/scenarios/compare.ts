/**
 * One measurement of one queue, in a process of its own so its peak RSS is its own:
 *
 *   compare <system> <variant> <scenario> <count> [concurrency|processes] [cap seconds]
 *
 * scenario: `bulk` (one call with `count` payloads), `single` (`count` single enqueues, 50 in
 * flight), `process` (`count` queued by another process first, then run at `concurrency`),
 * `latency` (`count` enqueued at 100/s by another process, idle worker at concurrency 32),
 * `processes` (`count` queued, then run by N worker processes at concurrency 32 each).
 * `process` and `processes` stop at a cap (seconds, last argument) and report what they did,
 * and the worker's CPU time (user + system) over the processing phase per 1,000 tasks
 * processed: the measuring process's own for `process` (it is the worker), the sum of the
 * workers' for `processes`. On PostgreSQL both `ANALYZE` the run's schema after the fill, before
 * the worker starts (see `analyzeSchema`). The roles `fill`, `produce` and `work` are the child
 * processes of these.
 *
 * Prints one JSON line, last on stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { percentile, report, wallMs } from './common.ts';
import { isSystem, type Payload, subject, type Variant } from './subjects.ts';

const [systemArg = '', variantArg = 'defaults', scenario = '', countArg = '0', ...rest] =
  process.argv.slice(2);
if (!isSystem(systemArg)) throw new Error(`unknown system ${systemArg}`);
const system = systemArg;
const variant: Variant = variantArg === 'tuned' ? 'tuned' : 'defaults';
const count = Number(countArg);
const self = fileURLToPath(import.meta.url);
const LATENCY_CONCURRENCY = 32;
const LATENCY_INTERVAL_MS = 10;
// The first samples pay for connecting and compiling on both sides, not for the queue.
const LATENCY_WARMUP = 10;

const payloads = (n: number, from = 0): Payload[] =>
  Array.from({ length: n }, (_, k) => ({ i: from + k }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function child(args: string[]): string[] {
  return ['--no-warnings', self, system, variant, ...args];
}

/** A role run in a child process: `ns` is the namespace the parent prepared. */
async function childRole(role: string, ns: string): Promise<void> {
  const s = await subject(system, variant, ns);
  if (role === 'fill') {
    const producer = await s.producer();
    for (let i = 0; i < count; i += 10_000) {
      await producer.addMany(payloads(Math.min(10_000, count - i), i));
    }
    await producer.close();
  } else if (role === 'produce') {
    const producer = await s.producer();
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      // Keep to the schedule rather than sleeping a fixed time after each enqueue.
      const due = start + i * LATENCY_INTERVAL_MS - performance.now();
      if (due > 0) await sleep(due);
      await producer.add({ i, t: wallMs() });
    }
    await producer.close();
  } else if (role === 'work') {
    const concurrency = Number(rest[1] ?? 32);
    const lines = createInterface({ input: process.stdin });
    const commands = lines[Symbol.asyncIterator]();
    let handled = 0;
    let go: () => void = () => {};
    const gate = new Promise<void>((r) => (go = r));
    // Connected and migrated before the clock starts; claiming starts at the parent's word.
    const consuming = s.consume(
      concurrency,
      () => {
        handled++;
      },
      { ready: () => process.stdout.write('ready\n'), gate },
    );
    await commands.next();
    // Its share of the processing phase: from the parent's word to start to its word to stop.
    const cpuBefore = process.cpuUsage();
    go();
    const consumer = await consuming;
    await commands.next();
    const cpu = process.cpuUsage(cpuBefore);
    await consumer.stop();
    lines.close();
    report({ handled, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
}

function measured(ns: string) {
  return { system, variant, ns };
}

/** CPU milliseconds per 1,000 tasks, one decimal. */
function perThousand(cpuMs: number, tasks: number): number {
  return tasks > 0 ? Number(((cpuMs / tasks) * 1000).toFixed(1)) : 0;
}

async function main(): Promise<void> {
  if (scenario === 'fill' || scenario === 'produce' || scenario === 'work') {
    await childRole(scenario, rest[0] ?? '');
    return;
  }
  const ns = `bench_${system.replace(/-/g, '_')}_${process.pid}_${Date.now() % 1e6}`;
  const s = await subject(system, variant, ns);
  await s.prepare();
  try {
    if (scenario === 'bulk') {
      const producer = await s.producer();
      const items = payloads(count);
      const started = performance.now();
      await producer.addMany(items);
      const seconds = (performance.now() - started) / 1000;
      await producer.close();
      report({ ...measured(ns), scenario, tasks: count, perSecond: Math.round(count / seconds) });
    } else if (scenario === 'single') {
      const producer = await s.producer();
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < count) await producer.add({ i: next++ });
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      await producer.close();
      report({ ...measured(ns), scenario, tasks: count, perSecond: Math.round(count / seconds) });
    } else if (scenario === 'process') {
      const concurrency = Number(rest[0] ?? 32);
      const capMs = Number(rest[1] ?? 60) * 1000;
      fill(ns);
      const analyzed = await s.analyze();
      let handled = 0;
      let allHandled: () => void = () => {};
      const done = new Promise<void>((r) => (allHandled = r));
      // This process is the worker. The clock and its CPU run from the first task handled to the
      // last one recorded: the queue's cost per task, without the one-off cost of connecting
      // and starting, which each system pays in its own way (and which would flatter long runs).
      let cpuBefore = process.cpuUsage();
      let started = performance.now();
      const consumer = await s.consume(concurrency, () => {
        if (handled === 0) {
          cpuBefore = process.cpuUsage();
          started = performance.now();
        }
        if (++handled === count) allHandled();
      });
      const capped = await Promise.race([done.then(() => false), sleep(capMs).then(() => true)]);
      // The last handlers have run; the figure counts until the queue has recorded them all.
      while (!capped && (await s.unsettled()) > 0) await sleep(2);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const processed = capped ? handled : count;
      await consumer.stop();
      const workerCpuMs = (cpu.user + cpu.system) / 1000;
      report({
        ...measured(ns),
        scenario,
        concurrency,
        tasks: processed,
        capped: capped ? 1 : 0,
        perSecond: Number((processed / seconds).toFixed(1)),
        workerCpuMs: Math.round(workerCpuMs),
        workerCpuMsPer1000: perThousand(workerCpuMs, processed),
        analyzedTables: analyzed.length,
      });
    } else if (scenario === 'latency') {
      const samples: number[] = [];
      let allStarted: () => void = () => {};
      const started = new Promise<void>((r) => (allStarted = r));
      const consumer = await s.consume(LATENCY_CONCURRENCY, (p) => {
        samples.push(wallMs() - (p.t ?? 0));
        if (samples.length === count) allStarted();
      });
      const producer = spawn(process.execPath, child(['produce', String(count), ns]), {
        stdio: 'inherit',
      });
      const capMs = count * LATENCY_INTERVAL_MS + 30_000;
      const complete = await Promise.race([
        started.then(() => true),
        sleep(capMs).then(() => false),
      ]);
      await new Promise((r) => (producer.exitCode === null ? producer.on('exit', r) : r(null)));
      await consumer.stop();
      const kept = samples.slice(LATENCY_WARMUP).sort((a, b) => a - b);
      report({
        ...measured(ns),
        scenario,
        tasks: kept.length,
        complete: complete ? 1 : 0,
        p50Ms: Number(percentile(kept, 50).toFixed(2)),
        p99Ms: Number(percentile(kept, 99).toFixed(2)),
      });
    } else if (scenario === 'processes') {
      const workers = Number(rest[0] ?? 1);
      fill(ns);
      const analyzed = await s.analyze();
      const children = Array.from({ length: workers }, () =>
        spawn(process.execPath, child(['work', String(count), ns, '32']), {
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
      );
      const outputs = children.map((c) => {
        let text = '';
        c.stdout.on('data', (d: Buffer) => (text += d.toString()));
        return () => text;
      });
      while (!outputs.every((o) => o().startsWith('ready'))) {
        // A worker that failed to start would otherwise be waited for until the bench's timeout.
        if (children.some((c) => c.exitCode !== null)) throw new Error('a worker process exited');
        await sleep(10);
      }
      const capMs = Number(rest[1] ?? 60) * 1000;
      const started = performance.now();
      for (const c of children) c.stdin.write('go\n');
      let left = count;
      while (left > 0 && performance.now() - started < capMs) {
        await sleep(100);
        left = await s.unsettled();
      }
      const seconds = (performance.now() - started) / 1000;
      for (const c of children) c.stdin.write('stop\n');
      await Promise.all(
        children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))),
      );
      const finals = outputs.map((o) => {
        const last = o().trim().split('\n').at(-1) ?? '{}';
        return JSON.parse(last) as { peakRssMb?: number; cpuMs?: number };
      });
      const workerCpuMs = finals.reduce((sum, f) => sum + Number(f.cpuMs ?? 0), 0);
      report({
        ...measured(ns),
        scenario,
        workers,
        tasks: count - left,
        capped: left > 0 ? 1 : 0,
        perSecond: Math.round((count - left) / seconds),
        workerPeakRssMb: Math.max(...finals.map((f) => Number(f.peakRssMb ?? 0))),
        workerCpuMs: Math.round(workerCpuMs),
        workerCpuMsPer1000: perThousand(workerCpuMs, count - left),
        analyzedTables: analyzed.length,
      });
    } else {
      throw new Error(`unknown scenario ${scenario}`);
    }
  } finally {
    await s.drop();
  }
}

function fill(ns: string): void {
  const run = spawnSync(process.execPath, child(['fill', String(count), ns]), {
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('filling the queue failed');
}

await main();
// Some clients keep timers or sockets open after close; the measurement is done.
process.exit(0);
