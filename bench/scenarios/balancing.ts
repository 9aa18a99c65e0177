/**
 * How push dispatch shares tasks among units of unequal capacity under one balancing strategy
 * (issue 17, item 4):
 *
 *   balancing <least-loaded|round-robin|by-unit-type> <tasks> <ms per task> [per second]
 *
 * A real server (startServer) on a fresh SQLite file, and four push units as real HTTP servers
 * on 127.0.0.1 in this same process, of capacity 1, 2, 4 and 8. Units 1 and 4 are of unitType
 * `bench.unit.a`, units 2 and 8 of `bench.unit.b`; all four register both types, so only
 * `by-unit-type` tells them apart. Half the tasks are of each type, alternating. Without a rate
 * they are all submitted at once (in batches of 1,000) once the units are registered: the units
 * stay full until the queue is empty. With one, they arrive at that many per second, one submit
 * each, for a load the units can keep up with. A unit checks each delivery's signature,
 * answers 202, waits the same time for every task (a timer: no CPU), then completes it over the
 * worker API; it heartbeats every second. The clock runs from the first submit to the last
 * completion.
 *
 * Prints one JSON line, last on stdout: the strategy, the total time and, per unit (`units`, as
 * JSON), its capacity, the tasks it ran by type, and the most it held at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createTaskmill, defineTask } from '../../src/index.ts';
import { startServer } from '../../src/server/serve.ts';
import { type BalancingStrategy, isBalancingStrategy } from '../../src/worker/remote/balancing.ts';
import type { PushDelivery } from '../../src/worker/remote/push-dispatcher.ts';
import { verifyPush } from '../../src/worker/remote/push-signature.ts';
import { freshDatabase, report } from './common.ts';

const [strategyArg = 'least-loaded', tasksArg = '10000', msArg = '20', rateArg = '0'] =
  process.argv.slice(2);
if (!isBalancingStrategy(strategyArg)) throw new Error(`unknown strategy ${strategyArg}`);
const strategy: BalancingStrategy = strategyArg;
const total = Number(tasksArg);
const taskMs = Number(msArg);
/** Tasks submitted per second; 0: all at once. */
const rate = Number(rateArg);

const TYPE_A = 'bench.unit.a' as const;
const TYPE_B = 'bench.unit.b' as const;
const typeA = defineTask({ name: TYPE_A, executor: 'remote', input: z.object({ i: z.number() }) });
const typeB = defineTask({ name: TYPE_B, executor: 'remote', input: z.object({ i: z.number() }) });

interface Unit {
  id: string;
  capacity: number;
  unitType: string;
  server: Server;
  workerSecret: string;
  pushSecret: string;
  ran: Record<string, number>;
  holding: number;
  maxHeld: number;
  refused: number;
}

const UNITS: [string, number, string][] = [
  ['unit-1', 1, TYPE_A],
  ['unit-2', 2, TYPE_B],
  ['unit-4', 4, TYPE_A],
  ['unit-8', 8, TYPE_B],
];

const db = freshDatabase();
const mill = await createTaskmill({ database: db.url, tasks: [typeA, typeB] });
const api = await startServer(mill, {
  port: 0,
  remoteWorkers: { push: { strategy }, leaseMs: 60_000 },
});

let completed = 0;
let failures = 0;
let allDone: () => void = () => {};
const done = new Promise<void>((resolve) => {
  allDone = resolve;
});

async function post(path: string, body: unknown, secret?: string): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { 'taskmill-worker-secret': secret } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function run(unit: Unit, delivery: PushDelivery): Promise<void> {
  await new Promise((r) => setTimeout(r, taskMs));
  const { task } = delivery;
  const answer = await post(
    `/api/v1/workers/${unit.id}/tasks/${task.id}/complete`,
    { leaseToken: task.leaseToken, output: null },
    unit.workerSecret,
  );
  await answer.body?.cancel();
  unit.holding--;
  if (answer.ok) {
    unit.ran[task.type] = (unit.ran[task.type] ?? 0) + 1;
    completed++;
  } else failures++;
  if (completed + failures >= total) allDone();
}

async function startUnit([id, capacity, unitType]: [string, number, string]): Promise<Unit> {
  const seen = new Set<string>();
  const unit: Unit = {
    id,
    capacity,
    unitType,
    server: createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const delivery = JSON.parse(body) as PushDelivery;
        const check = verifyPush({
          secret: unit.pushSecret,
          header: req.headers['taskmill-signature'] as string | undefined,
          body,
          now: Date.now(),
          deliveryId: delivery.deliveryId,
          seen,
        });
        if (!check.ok) {
          unit.refused++;
          res.writeHead(401).end();
          return;
        }
        unit.holding++;
        unit.maxHeld = Math.max(unit.maxHeld, unit.holding);
        res.writeHead(202).end();
        void run(unit, delivery);
      });
    }),
    workerSecret: '',
    pushSecret: '',
    ran: {},
    holding: 0,
    maxHeld: 0,
    refused: 0,
  };
  await new Promise<void>((r) => unit.server.listen(0, '127.0.0.1', r));
  const port = (unit.server.address() as AddressInfo).port;
  const answer = await post('/api/v1/execution-units/register', {
    id,
    unitType,
    unitName: id,
    capacity,
    types: [TYPE_A, TYPE_B],
    endpoint: `http://127.0.0.1:${port}/`,
  });
  if (answer.status !== 201) throw new Error(`register ${id}: ${await answer.text()}`);
  const me = (await answer.json()) as { workerSecret: string; pushSecret: string };
  unit.workerSecret = me.workerSecret;
  unit.pushSecret = me.pushSecret;
  return unit;
}

const units: Unit[] = [];
for (const spec of UNITS) units.push(await startUnit(spec));
const heartbeat = setInterval(() => {
  for (const u of units) {
    void post(
      `/api/v1/execution-units/${u.id}/heartbeat`,
      { currentLoad: u.holding },
      u.workerSecret,
    )
      .then((r) => r.body?.cancel())
      .catch(() => {});
  }
}, 1_000);

const typeOf = (i: number): typeof TYPE_A | typeof TYPE_B => (i % 2 === 0 ? TYPE_A : TYPE_B);
const start = performance.now();
if (rate === 0) {
  for (let from = 0; from < total; from += 1_000) {
    const batch = [];
    for (let i = from; i < Math.min(total, from + 1_000); i++) {
      batch.push({ type: typeOf(i), input: { i } });
    }
    await mill.submitMany(batch);
  }
} else {
  // Task i is due at start + i / rate; a late timer submits what fell due meanwhile.
  for (let i = 0; i < total; ) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = performance.now();
    for (; i < total && start + (i * 1000) / rate <= now; i++) {
      await mill.submit(typeOf(i), { i });
    }
  }
}
await done;
const totalMs = performance.now() - start;
clearInterval(heartbeat);
await api.close();
await mill.close();
for (const u of units) {
  u.server.closeAllConnections();
  await new Promise((r) => u.server.close(r));
}
db.remove();

report({
  scenario: `balancing, ${strategy}, ${rate === 0 ? 'all at once' : `${rate}/s`}`,
  strategy,
  tasks: total,
  rate,
  taskMs,
  totalMs: Math.round(totalMs),
  tasksPerSecond: Math.round(completed / (totalMs / 1000)),
  failed: failures,
  units: JSON.stringify(
    units.map((u) => ({
      id: u.id,
      capacity: u.capacity,
      unitType: u.unitType,
      a: u.ran[TYPE_A] ?? 0,
      b: u.ran[TYPE_B] ?? 0,
      maxHeld: u.maxHeld,
      refused: u.refused,
    })),
  ),
});
