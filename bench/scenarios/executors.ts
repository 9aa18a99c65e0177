/**
 * One executor measurement, in a process of its own:
 *
 *   executors <cpu|noop> <inline|thread|process> <count> <concurrency> <pool size> [hashes]
 *
 * `count` tasks of type `<work>.<kind>` (bench/scenarios/executor-tasks.ts) are stored with one
 * `submitMany` on a fresh SQLite file, then one worker starts and runs them; the clock runs from
 * `startWorker` until the last one is completed, so starting the pool's threads or processes is
 * part of the time (the row also says when the first task was done).
 *
 * Memory and CPU count the whole process tree: every 100 ms the sampler reads VmRSS from
 * /proc/self/status (the worker and its threads) and from /proc/<pid>/status of every process
 * member (the pids `worker.pools()` names and the children /proc/self/task/<tid>/children lists),
 * and keeps the largest sum. CPU time is this process's own
 * (threads included) plus each process member's utime + stime from /proc/<pid>/stat, last read
 * just before the worker closes. What the rest of the machine used meanwhile (from /proc/stat, less
 * this tree) is reported too: on 2 cores, another process's work comes straight out of the figures.
 *
 * Prints one JSON line, last on stdout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createTaskmill } from '../../src/index.ts';
import { freshDatabase, percentile, report } from './common.ts';
import {
  EXECUTOR_KINDS,
  executorBenchTasks,
  HASHED_BYTES,
  HASHES_PER_TASK,
} from './executor-tasks.ts';

type Kind = (typeof EXECUTOR_KINDS)[number];
const [
  workArg = 'cpu',
  kindArg = 'inline',
  countArg = '200',
  concArg = '2',
  sizeArg = '2',
  hashesArg = String(HASHES_PER_TASK),
] = process.argv.slice(2);
if (workArg !== 'cpu' && workArg !== 'noop') throw new Error(`unknown work ${workArg}`);
if (!(EXECUTOR_KINDS as readonly string[]).includes(kindArg)) {
  throw new Error(`unknown executor ${kindArg}`);
}
const work = workArg;
const kind = kindArg as Kind;
const n = Number(countArg);
const concurrency = Number(concArg);
const size = Number(sizeArg);
const type = `${work}.${kind}` as const;
/** SHA-256 rounds per CPU task: the benchmark keeps the default; more, to see the overhead shrink. */
const hashes = Number(hashesArg);

const MiB = 1024 * 1024;
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resident set of a process in bytes, or null once it is gone. */
function rssBytes(pid: number | 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** User + system CPU seconds of a process, or null once it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) in parentheses: utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy so far (all cores, every process). */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.split(/\s+/) ?? [];
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    TICKS_PER_SECOND
  );
}

const db = freshDatabase();
const mill = await createTaskmill({ database: db.url, tasks: executorBenchTasks });
await mill.submitMany(
  Array.from({ length: n }, (_, i) => ({
    type,
    input: work === 'cpu' && hashes !== HASHES_PER_TASK ? { i, hashes } : { i },
  })),
);

const claimedAt = new Map<string, number>();
const durations: number[] = [];
let completed = 0;
let failed = 0;
let retries = 0;
let firstDoneMs = 0;
let lastDoneMs = 0;
let started = 0;
/** CPU seconds of the tree when the first task was done: the pool's start and one task. */
let cpuAtFirstDone = 0;
// How many tasks each claim brought: a worker settles and claims in one transaction.
let claims = 0;
let claimedTasks = 0;
mill.on('claim.batch', (e) => {
  claims++;
  claimedTasks += e.count;
});
const done = new Promise<void>((resolve) => {
  mill.on('task.status', (e) => {
    const now = performance.now();
    if (e.to === 'running') claimedAt.set(e.taskId, now);
    else if (e.to === 'retrying') retries++;
    else if (e.to === 'completed' || e.to === 'failed' || e.to === 'timed_out') {
      const claimed = claimedAt.get(e.taskId);
      if (claimed !== undefined) durations.push(now - claimed);
      claimedAt.delete(e.taskId);
      if (e.to === 'completed') completed++;
      else failed++;
      if (completed + failed === 1) {
        firstDoneMs = now - started;
        cpuAtFirstDone = treeCpuSeconds();
      }
      lastDoneMs = now - started;
      if (completed + failed === n) resolve();
    }
  });
});

let worker: Awaited<ReturnType<typeof mill.startWorker>> | null = null;
const memberCpu = new Map<number, number>();
let peakTreeRss = 0;
let peakMembersRss = 0;
/**
 * The member processes: the pids the worker's pool snapshots name (a thread member names this
 * process), and every child process the kernel lists for this one, which includes a member that
 * has started but not yet reported in.
 */
function memberPids(): number[] {
  const pids = new Set<number>();
  for (const pool of worker?.pools() ?? []) {
    for (const m of pool.members) if (m.pid > 0 && m.pid !== process.pid) pids.add(m.pid);
  }
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const children = readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
      for (const pid of children ? children.split(' ') : []) pids.add(Number(pid));
    }
  } catch {
    // No /proc/<pid>/task/<tid>/children in this kernel: the snapshots alone.
  }
  return [...pids];
}
function sample(): void {
  let members = 0;
  for (const pid of memberPids()) {
    members += rssBytes(pid) ?? 0;
    const cpu = cpuSeconds(pid);
    if (cpu !== null) memberCpu.set(pid, cpu);
  }
  peakMembersRss = Math.max(peakMembersRss, members);
  peakTreeRss = Math.max(peakTreeRss, (rssBytes('self') ?? 0) + members);
}
const sampler = setInterval(sample, 100);

/** CPU seconds since the worker started: this process (threads included) and member processes. */
function treeCpuSeconds(): number {
  for (const pid of memberPids()) {
    const cpu = cpuSeconds(pid);
    if (cpu !== null) memberCpu.set(pid, cpu);
  }
  const own = process.cpuUsage(cpuBefore);
  return (own.user + own.system) / 1e6 + [...memberCpu.values()].reduce((a, b) => a + b, 0);
}

const cpuBefore = process.cpuUsage();
const machineBefore = machineBusySeconds();
started = performance.now();
worker = await mill.startWorker({
  concurrency,
  handleSignals: false,
  executors: { thread: { size }, process: { size } },
});
// A run that cannot finish (members crashing, tasks retrying) stops here and says so.
const CAP_MS = 180_000;
let capped = false;
await Promise.race([
  done,
  new Promise<void>((resolve) =>
    setTimeout(() => {
      capped = true;
      resolve();
    }, CAP_MS).unref(),
  ),
]);
const seconds = (performance.now() - started) / 1000;
sample();
clearInterval(sampler);
const cpuTotal = treeCpuSeconds();
const machineBusy = machineBusySeconds() - machineBefore;
const pools = worker.pools();

// What the handlers measured themselves (CPU tasks only): the hashing alone, and how long each
// thread or process (or the event loop, inline) waited between the end of one task and the start
// of its next.
interface CpuOutput {
  ms: number;
  member: string;
  startedAt: number;
  endedAt: number;
}
const handlerMs: number[] = [];
const gapsMs: number[] = [];
const byMember = new Map<string, CpuOutput[]>();
if (work === 'cpu') {
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof mill.list>> = await mill.list({
      type,
      status: 'completed',
      limit: 1000,
      cursor,
    });
    for (const t of page.tasks) {
      const out = t.output as CpuOutput;
      handlerMs.push(out.ms);
      const runs = byMember.get(out.member) ?? [];
      runs.push(out);
      byMember.set(out.member, runs);
    }
    cursor = page.nextCursor;
  } while (cursor);
}

for (const runs of byMember.values()) {
  runs.sort((a, b) => a.startedAt - b.startedAt);
  for (let k = 1; k < runs.length; k++) {
    gapsMs.push((runs[k]?.startedAt ?? 0) - (runs[k - 1]?.endedAt ?? 0));
  }
}
gapsMs.sort((a, b) => a - b);

const pids = memberPids();
const closeStarted = performance.now();
await mill.close();
const closeMs = performance.now() - closeStarted;
db.remove();
// A member process still alive after close would be a leak.
const leftAlive = pids.filter((pid) => rssBytes(pid) !== null).length;

durations.sort((a, b) => a - b);
handlerMs.sort((a, b) => a - b);
const r1 = (v: number) => Number(v.toFixed(1));
const r2 = (v: number) => Number(v.toFixed(2));
report({
  scenario: `${work}, ${kind}`,
  work,
  kind,
  tasks: n,
  completed,
  failed,
  retries,
  ...(capped ? { capped: `stopped after ${CAP_MS / 1000} s` } : {}),
  concurrency,
  poolSize: kind === 'inline' ? 0 : size,
  ...(work === 'cpu' ? { hashesPerTask: hashes, hashedMiB: HASHED_BYTES / MiB } : {}),
  seconds: r2(seconds),
  tasksPerSecond: r1(completed / seconds),
  // The rate once the pool is up: from the first task done to the last.
  steadyPerSecond: r1(
    lastDoneMs > firstDoneMs ? ((completed - 1) * 1000) / (lastDoneMs - firstDoneMs) : 0,
  ),
  firstDoneMs: r1(firstDoneMs),
  p50Ms: r2(percentile(durations, 50)),
  p99Ms: r2(percentile(durations, 99)),
  ...(work === 'cpu'
    ? {
        handlerP50Ms: r2(percentile(handlerMs, 50)),
        idleBetweenTasksP50Ms: r2(percentile(gapsMs, 50)),
        idleBetweenTasksP90Ms: r2(percentile(gapsMs, 90)),
      }
    : {}),
  cpuMsPerTask: r2((cpuTotal * 1000) / n),
  cpuMsToFirstDone: Math.round(cpuAtFirstDone * 1000),
  steadyCpuMsPerTask: r2(
    completed > 1 ? ((cpuTotal - cpuAtFirstDone) * 1000) / (completed - 1) : Number.NaN,
  ),
  // CPU seconds of the whole tree per second of wall time: 2 is both cores busy all along.
  coresBusy: r2(cpuTotal / seconds),
  tasksPerClaim: r2(claims > 0 ? claimedTasks / claims : 0),
  // The rest of the machine meanwhile (other processes): on 2 cores, what they took is missing.
  othersCoresBusy: r2(Math.max(0, machineBusy - cpuTotal) / seconds),
  peakTreeRssMb: Math.round(peakTreeRss / MiB),
  peakMembersRssMb: Math.round(peakMembersRss / MiB),
  members: pools.reduce((a, p) => a + p.members.length, 0),
  membersReplaced: pools.reduce((a, p) => a + p.members.reduce((b, m) => b + m.replaced, 0), 0),
  closeMs: r1(closeMs),
  membersAliveAfterClose: leftAlive,
});
// Whatever keeps this process alive after close (a member, a handle) fails the row loudly.
setTimeout(() => {
  process.stderr.write(
    `executors ${work} ${kind}: still alive 5 s after close (${process.getActiveResourcesInfo().join(', ')})\n`,
  );
  process.exit(2);
}, 5_000).unref();
