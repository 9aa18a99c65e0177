/**
 * One HTTP API measurement (issue #6): this process is the load generator, the server runs in a
 * child process (bench/scenarios/http-server.ts) so the two never share an event loop.
 *
 *   http <single|batch> <requests> <tasks per request> <in flight> <warm-up requests>
 *        <worker concurrency, 0 for none> [client=raw|node] [profile=<file>]
 *
 * Every request is a POST of no-op tasks (`/api/v1/tasks`, or `/api/v1/tasks/batch` with
 * `{ tasks: [...] }`): `in flight` lanes, each with its own keep-alive connection, send one
 * request after another until the count is done (the clients: bench/scenarios/http-clients.ts,
 * by default a minimal one over `net`, `client=node` for node:http). The bodies are
 * serialised before the clock starts, so the generator's CPU is the HTTP client's alone. After
 * the warm-up, the clock runs from the first measured request to the last response; latency is
 * per request, from `request()` to the end of the response body.
 *
 * CPU is read for both processes at the phase boundaries (the server's over IPC), and what the
 * rest of the machine used meanwhile from /proc/stat: on 2 cores, anything else running comes out
 * of the figures. After the submits, the server says when its worker completed the last task.
 * `profile=<file>` has the server write a CPU profile of the measured phase there (summarise it
 * with bench/profile-summary.ts).
 *
 * Prints one JSON line, last on stdout.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve as absolutePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, percentile, report, wallMs } from './common.ts';
import { type ClientKind, openLanes, type Post } from './http-clients.ts';
import type { FromServer, ToServer } from './http-server.ts';

// Compiled (.js) or run from source (.ts): siblings share this file's extension.
const EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));

const [
  modeArg = 'single',
  requestsArg = '50000',
  sizeArg = '1',
  inFlightArg = '32',
  warmUpArg = '2000',
  concurrencyArg = '32',
  ...rest
] = process.argv.slice(2);
if (modeArg !== 'single' && modeArg !== 'batch') throw new Error(`unknown mode ${modeArg}`);
const mode = modeArg;
const requests = Number(requestsArg);
const size = mode === 'single' ? 1 : Number(sizeArg);
const inFlight = Number(inFlightArg);
const warmUp = Number(warmUpArg);
const concurrency = Number(concurrencyArg);
const profileFile = rest.find((a) => a.startsWith('profile='))?.slice('profile='.length);
const clientArg = rest.find((a) => a.startsWith('client='))?.slice('client='.length) ?? 'raw';
if (clientArg !== 'raw' && clientArg !== 'node') throw new Error(`unknown client ${clientArg}`);
const client: ClientKind = clientArg;
const path = mode === 'single' ? '/api/v1/tasks' : '/api/v1/tasks/batch';

/** CPU seconds the whole machine spent busy so far (all cores, every process). */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.split(/\s+/) ?? [];
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  // USER_HZ is 100 on every Linux this runs on (executors.ts asks getconf; a fork costs here).
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  );
}

const ownCpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** The server process, and its answers in order of arrival, taken by kind. */
class ServerProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (m: FromServer) => void>();

  constructor(databaseUrl: string) {
    this.child = fork(
      fileURLToPath(new URL(`./http-server${EXT}`, import.meta.url)),
      [databaseUrl, String(concurrency), ...(profileFile ? [absolutePath(profileFile)] : [])],
      { execArgv: ['--no-warnings'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    this.child.on('message', (m: FromServer) => {
      const answer = this.waiting.get(m.kind);
      this.waiting.delete(m.kind);
      answer?.(m);
    });
    // Nothing can be measured without the server: give up at once rather than at a timeout.
    this.child.on('exit', (code, signal) => {
      if (code === 0) return;
      process.stderr.write(`the server process exited (${code ?? signal})\n`);
      process.exit(1);
    });
  }

  /** Wait for the next answer of `kind`, after sending `message` if given. */
  next<K extends FromServer['kind']>(
    kind: K,
    message?: ToServer,
    timeoutMs = 60_000,
  ): Promise<Extract<FromServer, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(kind);
        reject(new Error(`no "${kind}" from the server within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(kind, (m) => {
        clearTimeout(timer);
        resolve(m as Extract<FromServer, { kind: K }>);
      });
      if (message) this.child.send(message);
    });
  }
}

const db = freshDatabase();
const server = new ServerProcess(db.url);
const { url } = await server.next('ready');

const lanes = await openLanes(client, url, path, inFlight);

let errors = 0;
let firstError = '';

/** Send every body, `inFlight` at a time; with `latencies`, time each request into it. */
async function send(bodies: Buffer[], latencies: Float64Array | null): Promise<void> {
  let next = 0;
  const lane = async (post: Post) => {
    for (let i = next++; i < bodies.length; i = next++) {
      const started = performance.now();
      const { status, text } = await post(bodies[i] as Buffer);
      if (latencies) latencies[i] = performance.now() - started;
      if (status !== 201) {
        errors++;
        firstError ||= `${status}: ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(lanes.posts.map(lane));
}

let taskNo = 0;
function bodies(count: number): Buffer[] {
  return Array.from({ length: count }, () => {
    if (mode === 'single') {
      return Buffer.from(JSON.stringify({ type: 'bench.noop', input: { i: taskNo++ } }));
    }
    const tasks = Array.from({ length: size }, () => ({
      type: 'bench.noop',
      input: { i: taskNo++ },
    }));
    return Buffer.from(JSON.stringify({ tasks }));
  });
}

await send(bodies(warmUp), null);
const measured = bodies(requests);
const latencies = new Float64Array(requests);

const before = await server.next('mark', { kind: 'mark' });
const machineBefore = machineBusySeconds();
const ownBefore = ownCpuMicros();
const startedAt = performance.now();
await send(measured, latencies);
const seconds = (performance.now() - startedAt) / 1000;
const endedAtWallMs = wallMs();
const ownMicros = ownCpuMicros() - ownBefore;
const machineSeconds = machineBusySeconds() - machineBefore;
const after = await server.next('mark', { kind: 'mark' });
const serverMicros = after.cpuMicros - before.cpuMicros;

const submitted = (warmUp + requests) * size;
// The worker should catch up within a few seconds of the last submit; past two minutes something
// is wrong, and the row says it did not drain.
let drainMs: number | null = null;
if (concurrency > 0) {
  try {
    const drained = await server.next('drained', { kind: 'drain', total: submitted }, 120_000);
    drainMs = Math.max(0, drained.lastCompletedAtWallMs - endedAtWallMs);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
  }
}
const stopped = await server.next('stopped', { kind: 'stop' });
lanes.close();
db.remove();

const sorted = Array.from(latencies).sort((a, b) => a - b);
const ms = (v: number) => Number(v.toFixed(2));
const tasks = requests * size;
if (errors > 0) process.stderr.write(`${errors} requests failed; the first: ${firstError}\n`);
report({
  scenario: `${mode === 'single' ? 'single submits' : `batches of ${size.toLocaleString('en')}`}, ${inFlight} in flight, ${concurrency > 0 ? `worker at ${concurrency}` : 'no worker'}${client === 'node' ? ', node:http client' : ''}`,
  mode,
  client,
  requests,
  tasksPerRequest: size,
  tasks,
  inFlight,
  workerConcurrency: concurrency,
  warmUpRequests: warmUp,
  seconds: Number(seconds.toFixed(3)),
  requestsPerSecond: Math.round(requests / seconds),
  tasksPerSecond: Math.round(tasks / seconds),
  p50Ms: ms(percentile(sorted, 50)),
  p95Ms: ms(percentile(sorted, 95)),
  p99Ms: ms(percentile(sorted, 99)),
  maxMs: ms(sorted.at(-1) ?? 0),
  errors,
  serverCores: Number((serverMicros / 1e6 / seconds).toFixed(2)),
  serverCpuUsPerTask: Math.round(serverMicros / tasks),
  generatorCores: Number((ownMicros / 1e6 / seconds).toFixed(2)),
  generatorCpuUsPerRequest: Math.round(ownMicros / requests),
  othersCores: Number(
    Math.max(0, (machineSeconds - (serverMicros + ownMicros) / 1e6) / seconds).toFixed(2),
  ),
  submitted,
  completedAtSubmitEnd: after.completed,
  workerTasksPerSecond: Math.round((after.completed - before.completed) / seconds),
  tasksPerClaim: Number(
    ((after.completed - before.completed) / Math.max(1, after.claims - before.claims)).toFixed(1),
  ),
  drainMs: drainMs === null ? '' : Math.round(drainMs),
  serverPeakRssMb: stopped.peakRssMb,
});
