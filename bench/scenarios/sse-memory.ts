/**
 * What event-stream clients that never read cost the server (issue #14): the server runs in a
 * child process (bench/scenarios/sse-memory-server.ts, with `--expose-gc`) on a fresh SQLite
 * database; this process opens `clients` raw connections to /api/v1/events that read the
 * response head and then never read again, submits `tasks` tasks of `reports` progress events
 * each, waits for the worker to complete them, closes every client and samples again.
 *
 *   sse-memory [clients=1000] [tasks=20000] [reports=5] [settleMs=3000] [rounds=1]
 *
 * Memory is sampled in the server (`process.memoryUsage()`): before the clients, the peak while
 * they are connected, after the events (collected), and after they closed (collected). The hub's
 * own account comes from /metrics. With `rounds` above 1 the whole burst is repeated and the RSS
 * after each close is listed. Prints one JSON line, last on stdout.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freshDatabase, report } from './common.ts';
import type { FromServer, Memory, ToServer } from './sse-memory-server.ts';

// Compiled (.js) or run from source (.ts): siblings share this file's extension.
const EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));

const args = new Map(process.argv.slice(2).map((a) => a.split('=', 2) as [string, string]));
const clients = Number(args.get('clients') ?? 1000);
const tasks = Number(args.get('tasks') ?? 20_000);
const reports = Number(args.get('reports') ?? 5);
const settleMs = Number(args.get('settleMs') ?? 3000);
const rounds = Number(args.get('rounds') ?? 1);

const db = freshDatabase();
const child: ChildProcess = fork(
  fileURLToPath(new URL(`./sse-memory-server${EXT}`, import.meta.url)),
  [db.url, String(reports)],
  {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  },
);
const inbox: FromServer[] = [];
let wake: (() => void) | null = null;
child.on('message', (m: FromServer) => {
  inbox.push(m);
  wake?.();
});
async function next<K extends FromServer['kind']>(
  kind: K,
): Promise<Extract<FromServer, { kind: K }>> {
  for (;;) {
    const i = inbox.findIndex((m) => m.kind === kind);
    if (i >= 0) return inbox.splice(i, 1)[0] as Extract<FromServer, { kind: K }>;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}
const tell = (m: ToServer) => child.send(m);
async function sample(gc: boolean): Promise<{ now: Memory; peak: Memory }> {
  tell({ kind: 'sample', gc });
  const { now, peak } = await next('sample');
  return { now, peak };
}

const { url } = await next('ready');
const port = Number(new URL(url).port);

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

/** A client that reads the response head, then never reads again. */
function openNonReading(): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {}); // dropped by the server: expected
  socket.write('GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      if (chunk.toString().startsWith('HTTP/1.1 200')) resolve(socket);
      else reject(new Error(`refused: ${chunk.toString().split('\r\n')[0]}`));
    });
  });
}

const before = await sample(true);
/** One burst: clients open, the tasks' events flow, the clients close. */
async function burst(round: number) {
  const sockets: Socket[] = [];
  for (let i = 0; i < clients; i += 50) {
    const batch = Array.from({ length: Math.min(50, clients - i) }, openNonReading);
    sockets.push(...(await Promise.all(batch)));
  }
  const connected = await gauge('taskmill_event_clients');
  const opened = await sample(true);

  let maxBuffered = 0;
  const started = performance.now();
  for (let i = 0; i < tasks; i += 1000) {
    const body = {
      tasks: Array.from({ length: Math.min(1000, tasks - i) }, (_, j) => ({
        type: 'bench.progress',
        input: { i: i + j + tasks * (round - 1) },
      })),
    };
    const res = await fetch(`${url}/api/v1/tasks/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`batch: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    maxBuffered = Math.max(maxBuffered, await gauge('taskmill_event_buffered_bytes'));
  }
  tell({ kind: 'drain', total: tasks * round });
  const poll = setInterval(() => {
    void gauge('taskmill_event_buffered_bytes').then((b) => {
      maxBuffered = Math.max(maxBuffered, b);
    });
  }, 200);
  await next('drained');
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const stillFollowed = await gauge('taskmill_event_clients');
  const bufferedAfterEvents = await gauge('taskmill_event_buffered_bytes');
  const loaded = await sample(true);

  for (const s of sockets) s.destroy();
  while ((await gauge('taskmill_event_clients')) > 0) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, settleMs));
  const closed = await sample(true);
  const bufferedAfterClose = await gauge('taskmill_event_buffered_bytes');
  return {
    connected,
    opened,
    seconds,
    stillFollowed,
    maxBuffered,
    bufferedAfterEvents,
    loaded,
    closed,
    bufferedAfterClose,
  };
}

const first = await burst(1);
// Later bursts show whether what RSS kept is reused or added to.
const closedRssMb = [first.closed.now.rssMb];
for (let round = 2; round <= rounds; round++)
  closedRssMb.push((await burst(round)).closed.now.rssMb);
child.disconnect();
await new Promise((r) => child.once('exit', r));
db.remove();

const flat = (prefix: string, m: Memory) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [`${prefix}.${k}`, v]));
report({
  clients,
  connected: first.connected,
  tasks,
  reports,
  seconds: Math.round(first.seconds * 10) / 10,
  droppedClients: first.connected - first.stillFollowed,
  maxBufferedMb: Math.round((first.maxBuffered / 2 ** 20) * 10) / 10,
  bufferedAfterEvents: first.bufferedAfterEvents,
  bufferedAfterClose: first.bufferedAfterClose,
  ...flat('before', before.now),
  ...flat('opened', first.opened.now),
  ...flat('peak', first.loaded.peak),
  ...flat('loaded', first.loaded.now),
  ...flat('closed', first.closed.now),
  closedRssMbByRound: closedRssMb.join(' '),
});
