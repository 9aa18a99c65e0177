/**
 * The demo task types `npm start` runs (`taskmill serve --demo`). Each shows one feature and does
 * real work in under three seconds; the short pauses between steps are there so that progress and
 * log lines can be watched arriving (`submit --wait`, `logs --follow`).
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { defineTask } from 'taskmill';
import { z } from 'zod';

// Seed 004's pipelines: a small ETL, two runs of which `serve --demo` starts (demoPipelineRuns).
export { demoPipelineRuns, salesEtl } from './pipeline.ts';
// Seed 003's cron jobs, submitted by the schedules of examples/demo/schedules.json.
export { dataCollection, healthCheck, systemCleanup } from './scheduled.ts';

/** Progress: shrinks a generated RGBA image with a box filter, one band of rows per step. */
export const resize = defineTask({
  name: 'demo.resize',
  description: 'Downscale a generated image with a box filter, reporting progress per band',
  input: z.object({
    width: z.number().int().min(16).max(4096).default(640),
    height: z.number().int().min(16).max(4096).default(480),
    factor: z.number().int().min(2).max(8).default(4),
    steps: z.number().int().min(1).max(20).default(8),
  }),
  async run({ width, height, factor, steps }, ctx) {
    const source = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < source.length; i += 4) {
      const x = (i / 4) % width;
      const y = Math.floor(i / 4 / width);
      source.set([(x * 255) / width, (y * 255) / height, ((x ^ y) & 0xff) as number, 255], i);
    }
    const outW = Math.floor(width / factor);
    const outH = Math.floor(height / factor);
    const out = new Uint8ClampedArray(outW * outH * 4);
    const band = Math.ceil(outH / steps);
    for (let step = 0; step < steps; step++) {
      const from = step * band;
      const to = Math.min(outH, from + band);
      for (let y = from; y < to; y++) {
        for (let x = 0; x < outW; x++) {
          for (let c = 0; c < 4; c++) {
            let sum = 0;
            for (let dy = 0; dy < factor; dy++) {
              for (let dx = 0; dx < factor; dx++) {
                sum += source[((y * factor + dy) * width + x * factor + dx) * 4 + c] ?? 0;
              }
            }
            out[(y * outW + x) * 4 + c] = sum / (factor * factor);
          }
        }
      }
      ctx.progress(((step + 1) / steps) * 100, `rows ${from}-${to} of ${outH}`);
      await sleep(150, undefined, { signal: ctx.signal });
    }
    ctx.metric('pixels', width * height);
    const sha256 = createHash('sha256').update(out).digest('hex');
    return { width: outW, height: outH, bytes: out.length, sha256 };
  },
});

/** Logs: renders a real RFC 5322 message; with no mail server configured it is kept, not sent. */
export const email = defineTask({
  name: 'demo.email',
  description: 'Render an e-mail and keep it as an artifact (no SMTP server in the demo)',
  input: z.object({
    to: z.email(),
    subject: z.string().min(1).max(200),
    body: z.string().max(10_000),
  }),
  async run({ to, subject, body }, ctx) {
    ctx.log.info(`rendering message to ${to}`);
    const domain = to.split('@')[1] ?? '';
    if (/^example\.(com|org|net)$/.test(domain)) {
      ctx.log.warn(`${domain} is a reserved domain (RFC 2606): mail to it is never delivered`);
    }
    const message = [
      'From: taskmill demo <demo@taskmill.invalid>',
      `To: ${to}`,
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${randomUUID()}@taskmill.invalid>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n');
    await sleep(300, undefined, { signal: ctx.signal });
    ctx.log.info(`rendered ${Buffer.byteLength(message)} bytes`);
    ctx.log.info('no SMTP transport configured in the demo: keeping the message as message.eml');
    await sleep(300, undefined, { signal: ctx.signal });
    const artifact = await ctx.artifacts.put('message.eml', message);
    ctx.log.info(
      `saved message.eml (${artifact.size} bytes, sha256 ${artifact.sha256.slice(0, 12)})`,
    );
    return { to, bytes: artifact.size, artifact: artifact.name };
  },
});

/** Retries: fails its first `failTimes` attempts, then succeeds; fixed 300 ms between attempts. */
export const flaky = defineTask({
  name: 'demo.flaky',
  description: 'Fail the first attempts on purpose, then succeed (retry policy: 4 attempts)',
  input: z.object({ failTimes: z.number().int().min(0).max(10).default(2) }),
  retry: { kind: 'fixed', delayMs: 300, maxAttempts: 4 },
  run({ failTimes }, ctx) {
    if (ctx.attempt <= failTimes) {
      ctx.log.warn(`attempt ${ctx.attempt}: failing on purpose (${failTimes} planned failures)`);
      throw new Error(`planned failure ${ctx.attempt} of ${failTimes}`);
    }
    ctx.log.info(`attempt ${ctx.attempt}: succeeded`);
    return { succeededOnAttempt: ctx.attempt };
  },
});

/**
 * Timeouts: works in 100 ms slices. Past 600 ms it gets a soft-timeout warning and goes on; at
 * 1.5 s the hard timeout aborts `ctx.signal` and the attempt ends `timed_out` (no retry).
 */
export const slow = defineTask({
  name: 'demo.slow',
  description: 'Pass the soft timeout, then get stopped by the hard one (unless workMs < 1500)',
  input: z.object({ workMs: z.number().int().min(0).max(60_000).default(4000) }),
  timeout: { softMs: 600, hardMs: 1500 },
  retry: { kind: 'fixed', maxAttempts: 1 },
  async run({ workMs }, ctx) {
    const started = Date.now();
    // The sleep rejects as soon as the hard timeout aborts the signal, which ends the attempt.
    while (Date.now() - started < workMs) {
      await sleep(100, undefined, { signal: ctx.signal });
      const done = Math.min(workMs, Date.now() - started);
      ctx.progress((done / Math.max(1, workMs)) * 100, `${done} of ${workMs} ms`);
    }
    return { workedMs: Date.now() - started };
  },
});

function systemReport(title: string): { markdown: string; csv: string } {
  const cpus = os.cpus();
  const memory = process.memoryUsage();
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const markdown = [
    `# ${title}`,
    '',
    `Generated ${new Date().toISOString()} on ${os.hostname()}.`,
    '',
    '| what | value |',
    '| --- | --- |',
    `| Node.js | ${process.version} |`,
    `| platform | ${os.platform()} ${os.release()} (${os.arch()}) |`,
    `| CPUs | ${cpus.length} × ${cpus[0]?.model ?? 'unknown'} |`,
    `| load average (1, 5, 15 min) | ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} |`,
    `| memory free / total | ${mib(os.freemem())} / ${mib(os.totalmem())} |`,
    `| this process: rss, heap used | ${mib(memory.rss)}, ${mib(memory.heapUsed)} |`,
    `| uptime | ${Math.round(os.uptime())} s |`,
    '',
  ].join('\n');
  const rows = cpus.map(
    (cpu, i) =>
      `${i},"${cpu.model}",${cpu.speed},${cpu.times.user},${cpu.times.sys},${cpu.times.idle}`,
  );
  const csv = ['cpu,model,mhz,user_ms,sys_ms,idle_ms', ...rows, ''].join('\n');
  return { markdown, csv };
}

/** Artifacts: a markdown summary of this machine and a CSV of its CPUs. */
export const report = defineTask({
  name: 'demo.report',
  description: 'Write a system report (report.md) and a CPU table (cpus.csv) as artifacts',
  input: z.object({ title: z.string().min(1).max(100).default('System report') }),
  async run({ title }, ctx) {
    const { markdown, csv } = systemReport(title);
    ctx.progress(30, 'collected');
    const md = await ctx.artifacts.put('report.md', markdown);
    ctx.progress(65, 'report.md written');
    const table = await ctx.artifacts.put('cpus.csv', csv);
    ctx.progress(100, 'cpus.csv written');
    return { files: [md, table].map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 })) };
  },
});

/**
 * Executor "thread": counts primes with a sieve in a worker thread, so the worker's own event
 * loop (heartbeats, other tasks) stays free while it computes. Progress crosses as messages.
 */
export const primes = defineTask({
  name: 'demo.primes',
  description: 'Count the primes below a limit with a sieve, in a worker thread',
  executor: 'thread',
  input: z.object({ below: z.number().int().min(10).max(200_000_000).default(30_000_000) }),
  run({ below }, ctx) {
    const composite = new Uint8Array(below);
    const steps = 10;
    let count = 0;
    for (let step = 0; step < steps; step++) {
      const from = Math.max(2, Math.floor((below * step) / steps));
      const to = Math.floor((below * (step + 1)) / steps);
      for (let n = from; n < to; n++) {
        if (composite[n]) continue;
        count++;
        for (let m = n * n; m < below; m += n) composite[m] = 1;
      }
      ctx.progress(((step + 1) / steps) * 100, `${count} primes below ${to}`);
    }
    ctx.log.info(`counted in thread ${threadId} of process ${process.pid}`);
    return { below, primes: count };
  },
});

/**
 * Executor "process": hashes generated data in a child process of the worker's pool, isolated
 * from the worker (a crash or a leak there cannot take the worker down), and keeps the digest
 * as an artifact written from inside that process.
 */
export const checksum = defineTask({
  name: 'demo.checksum',
  description: 'SHA-256 over generated data, in a child process of the pool',
  executor: 'process',
  input: z.object({ mib: z.number().int().min(1).max(1024).default(256) }),
  async run({ mib }, ctx) {
    ctx.log.info(`hashing ${mib} MiB in process ${process.pid}`);
    const chunk = Buffer.alloc(1024 * 1024);
    const hash = createHash('sha256');
    for (let i = 0; i < mib; i++) {
      chunk.fill(i & 0xff);
      hash.update(chunk);
      if ((i + 1) % Math.max(1, Math.floor(mib / 8)) === 0 || i + 1 === mib) {
        ctx.progress(((i + 1) / mib) * 100, `${i + 1} of ${mib} MiB`);
      }
    }
    const digest = hash.digest('hex');
    await ctx.artifacts.put('checksum.txt', `${digest}  generated-${mib}MiB\n`);
    return { mib, sha256: digest, pid: process.pid };
  },
});

/**
 * Executor "remote": no handler here. examples/remote-worker.py (Python, standard library only)
 * registers with the server, claims these over HTTP and runs them; until one runs, they wait.
 */
export const wordcount = defineTask({
  name: 'py.wordcount',
  description: 'Count words and lines, in a remote worker written in Python',
  executor: 'remote',
  input: z.object({ text: z.string().max(1_000_000) }),
  output: z.object({ words: z.number().int(), lines: z.number().int() }),
});

export const pySleep = defineTask({
  name: 'py.sleep',
  description: 'Sleep a while with progress, in a remote worker written in Python',
  executor: 'remote',
  input: z.object({ seconds: z.number().min(0).max(600) }),
  output: z.object({ slept: z.number() }),
});

export interface DemoSubmission {
  type: string;
  input: unknown;
  options?: {
    priority?: 'critical' | 'high' | 'normal' | 'low';
    delayMs?: number;
    name?: string;
    queue?: string;
  };
  /** Printed by `serve --demo` next to the task id. */
  note?: string;
}

/** What `taskmill serve --demo` submits at start. */
export const demoSubmissions: DemoSubmission[] = [
  {
    type: 'demo.resize',
    input: { width: 640, height: 480 },
    note: 'progress: 640×480 → 160×120 in 8 steps',
  },
  {
    type: 'demo.email',
    input: { to: 'ada@example.com', subject: 'Welcome', body: 'Hello Ada,\n\nwelcome aboard.' },
    note: 'logs: renders a message, keeps it as message.eml',
  },
  {
    type: 'demo.flaky',
    input: { failTimes: 2 },
    note: 'retries: fails twice, succeeds on attempt 3',
  },
  {
    type: 'demo.slow',
    input: { workMs: 4000 },
    note: 'timeouts: soft warning at 0.6 s, stopped at 1.5 s',
  },
  {
    type: 'demo.report',
    input: {},
    options: { priority: 'high' },
    note: 'artifacts: report.md and cpus.csv (priority high)',
  },
  {
    type: 'demo.primes',
    input: { below: 30_000_000 },
    note: 'executor thread: a CPU-bound sieve in a worker thread',
  },
  {
    type: 'demo.checksum',
    input: { mib: 256 },
    note: 'executor process: SHA-256 of 256 MiB in a child process',
  },
  {
    type: 'demo.resize',
    input: { width: 320, height: 240, steps: 4 },
    options: { delayMs: 1000 },
    note: 'a delayed task: starts 1 s from now',
  },
];

const PEOPLE = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken', 'margaret', 'linus'];

/**
 * Submitted by `serve --demo` as well, without a line each: enough for the dashboard to show
 * something in every column — finished and failed tasks, named ones, a second queue, tasks
 * delayed for later, and two that wait for the Python worker (their queue's oldest waiting age
 * grows until one runs).
 */
export const demoBacklog: DemoSubmission[] = [
  ...Array.from({ length: 24 }, (_, i) => ({
    type: 'demo.resize',
    input: { width: 64 + 16 * i, height: 48 + 12 * i, steps: 2 },
    options: { name: `thumbnail ${i + 1}`, priority: i % 4 === 0 ? ('low' as const) : undefined },
  })),
  ...PEOPLE.map((who) => ({
    type: 'demo.email',
    input: { to: `${who}@example.com`, subject: `Hello ${who}`, body: `Hello ${who},\n\nwelcome.` },
    options: { name: `welcome mail to ${who}`, queue: 'mail' },
  })),
  ...[5, 6, 7].map((failTimes) => ({
    type: 'demo.flaky',
    input: { failTimes },
    options: { name: `fails ${failTimes} times: gives up after 4 attempts` },
  })),
  { type: 'demo.slow', input: { workMs: 800 }, options: { name: 'past its soft timeout only' } },
  ...[10, 20, 30].map((minutes) => ({
    type: 'demo.report',
    input: {},
    options: { delayMs: minutes * 60_000, name: `report in ${minutes} min` },
  })),
  ...['to be or not to be', 'the quick brown fox'].map((text) => ({
    type: 'py.wordcount',
    input: { text },
    options: { name: 'waits for the Python worker' },
  })),
];
