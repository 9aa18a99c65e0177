/**
 * The server side of the HTTP benchmark (bench/scenarios/http.ts forks it, with an IPC channel):
 *
 *   http-server <database url> <worker concurrency, 0 for none> [profile file]
 *
 * `startServer` on a free port with a worker for the no-op type in the same process, as
 * `taskmill serve` runs them. The load generator is another process, so the figures here are the
 * server's alone; it asks over IPC for this process's counts at the phase boundaries, for the
 * moment the last task was completed, and finally for the peak RSS before this process exits.
 * With a profile file, a CPU profile of the measured phase alone (from the first mark to the
 * second) is written there: `node --cpu-prof` would mix in the start-up, warm-up and drain.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTaskmill, startServer } from '../../src/index.ts';
import { noop, wallMs } from './common.ts';

export type ToServer = { kind: 'mark' } | { kind: 'drain'; total: number } | { kind: 'stop' };
export type FromServer =
  | { kind: 'ready'; url: string }
  | { kind: 'mark'; completed: number; claims: number; cpuMicros: number }
  | { kind: 'drained'; completed: number; lastCompletedAtWallMs: number }
  | { kind: 'stopped'; peakRssMb: number };

const [url = '', concurrencyArg = '32', profileFile] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const send = (message: FromServer) => process.send?.(message);

const mill = await createTaskmill({ database: url, tasks: [noop] });
let completed = 0;
let lastCompletedAtWallMs = 0;
// Waiting for the worker to catch up: the total it must reach, and whom to tell.
let drainTo: number | null = null;
function checkDrained(): void {
  if (drainTo === null || completed < drainTo) return;
  drainTo = null;
  send({ kind: 'drained', completed, lastCompletedAtWallMs });
}
// The server's own event hub and metrics already listen to status changes, so one more listener
// adds a counter, not the building of the events.
mill.on('task.status', (e) => {
  if (e.to !== 'completed') return;
  completed++;
  lastCompletedAtWallMs = wallMs();
  checkDrained();
});
// How many tasks a claim brings: each claim is a transaction of its own (settle and claim).
let claims = 0;
mill.on('claim.batch', () => claims++);
const worker =
  concurrency > 0 ? await mill.startWorker({ concurrency, handleSignals: false }) : null;
const server = await startServer(mill, { port: 0, worker });

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

let profiler: Session | null = null;
/** The first mark starts the profiler, the second writes what it sampled since. */
async function profileMark(): Promise<void> {
  if (!profileFile) return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return;
  }
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  writeFileSync(profileFile, JSON.stringify(profile));
}

let marks = 0;
process.on('message', (message: ToServer) => {
  switch (message.kind) {
    case 'mark':
      // The clock starts once the profiler runs, and the profile's end waits for the answer.
      if (marks++ === 0) {
        void profileMark().then(() =>
          send({ kind: 'mark', completed, claims, cpuMicros: cpuMicros() }),
        );
      } else {
        send({ kind: 'mark', completed, claims, cpuMicros: cpuMicros() });
        void profileMark();
      }
      return;
    case 'drain':
      drainTo = message.total;
      checkDrained();
      return;
    case 'stop':
      void stop();
      return;
  }
});

async function stop(): Promise<void> {
  await server.close();
  await mill.close();
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // Exit once the message has left: the open IPC channel would keep this process alive.
  process.send?.({ kind: 'stopped', peakRssMb } satisfies FromServer, () => process.exit(0));
}

send({ kind: 'ready', url: server.url });
