/**
 * Issue 17, item 4: how a real server shares tasks among real push units (HTTP servers on
 * 127.0.0.1) under each balancing strategy. The units hold what they are given (they never
 * complete), so what each received is what the strategy dealt. The tasks are submitted due a
 * second later on the mill's manual clock and become due together when it moves: a dispatch
 * round claims as of the instant it started, so one round sees them all at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, ManualClock } from '../../src/index.ts';
import { startServer } from '../../src/server/serve.ts';
import type { BalancingStrategy } from '../../src/worker/remote/balancing.ts';
import type { PushDelivery } from '../../src/worker/remote/push-dispatcher.ts';
import { verifyPush } from '../../src/worker/remote/push-signature.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { type Api, useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const typeA = defineTask({ name: 'unit.a', executor: 'remote', input: z.object({}) });
const typeB = defineTask({ name: 'unit.b', executor: 'remote', input: z.object({}) });
const TASKS = [typeA, typeB] as const;

interface Unit {
  id: string;
  url: string;
  pushSecret: string;
  received: PushDelivery[];
  refused: string[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A push unit that checks each delivery's signature and keeps the task (202). */
async function startUnit(id: string, now: () => number): Promise<Unit> {
  const seen = new Set<string>();
  const unit: Unit = { id, url: '', pushSecret: '', received: [], refused: [] };
  const server = createServer((req, res) => {
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
        now: now(),
        deliveryId: delivery.deliveryId,
        seen,
      });
      if (!check.ok) unit.refused.push(check.reason);
      else unit.received.push(delivery);
      res.writeHead(check.ok ? 202 : 401).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  unit.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
  return unit;
}

type Tasks = Api<typeof TASKS>;

async function register(
  api: Tasks,
  unit: Unit,
  capacity: number,
  unitType: string,
  types: string[],
): Promise<void> {
  const answer = await api.request('POST', '/api/v1/execution-units/register', {
    id: unit.id,
    unitType,
    unitName: unit.id,
    capacity,
    types,
    endpoint: unit.url,
  });
  expect(answer.status, answer.text).toBe(201);
  unit.pushSecret = (answer.json as { pushSecret: string }).pushSecret;
}

const counts = (units: Unit[]) => Object.fromEntries(units.map((u) => [u.id, u.received.length]));

forEachBackend((backend) => {
  const start = useApi(backend);

  /** A server pushing with `strategy`; units of capacity 1, 2 and 4 that run both types. */
  async function setUp(strategy: BalancingStrategy, capacities: [string, number, string][]) {
    const clock = new ManualClock(Date.now());
    const api = await start(
      TASKS,
      { remoteWorkers: { pollMs: 20, leaseMs: 60_000, push: { strategy } } },
      { clock, workerTimeoutMs: 60_000 },
    );
    const units: Unit[] = [];
    for (const [id, capacity, unitType] of capacities) {
      const unit = await startUnit(id, () => clock.now());
      await register(api, unit, capacity, unitType, ['unit.a', 'unit.b']);
      units.push(unit);
    }
    return { api, clock, units };
  }

  /** Submit tasks due in a second, then make them due together. */
  async function releaseTogether(api: Tasks, clock: ManualClock, types: ('unit.a' | 'unit.b')[]) {
    await api.mill.submitMany(
      types.map((type) => ({ type, input: {}, options: { delayMs: 1_000 } })),
    );
    clock.advance(1_000);
  }

  const UNEQUAL: [string, number, string][] = [
    ['small', 1, 'unit.a'],
    ['mid', 2, 'unit.a'],
    ['big', 4, 'unit.a'],
  ];

  it('least-loaded gives the tasks to the unit with the most free slots', async () => {
    const { api, clock, units } = await setUp('least-loaded', UNEQUAL);
    await releaseTogether(api, clock, ['unit.a', 'unit.a', 'unit.a']);
    await waitFor(
      'three deliveries',
      () =>
        units.every((u) => u.refused.length === 0) &&
        units.reduce((n, u) => n + u.received.length, 0) === 3,
    );
    expect(counts(units)).toEqual({ small: 0, mid: 0, big: 3 });

    // The big unit now has one free slot, as the small one does; the mid one has two.
    await releaseTogether(api, clock, ['unit.a', 'unit.a']);
    await waitFor('five deliveries', () => units.reduce((n, u) => n + u.received.length, 0) === 5);
    expect(counts(units)).toEqual({ small: 0, mid: 2, big: 3 });
  });

  it('round-robin gives unequal units equal shares, within capacity', async () => {
    const { api, clock, units } = await setUp('round-robin', UNEQUAL);
    await releaseTogether(api, clock, ['unit.a', 'unit.a', 'unit.a']);
    await waitFor('three deliveries', () => units.reduce((n, u) => n + u.received.length, 0) === 3);
    expect(counts(units)).toEqual({ small: 1, mid: 1, big: 1 });

    // The small unit is full: it is skipped, the others take one each in turn.
    await releaseTogether(api, clock, ['unit.a', 'unit.a', 'unit.a']);
    await waitFor('six deliveries', () => units.reduce((n, u) => n + u.received.length, 0) === 6);
    expect(counts(units)).toEqual({ small: 1, mid: 2, big: 3 });
    expect(units.flatMap((u) => u.refused)).toEqual([]);
  });

  it('by-unit-type sends a type only to the units of that unitType', async () => {
    const { api, clock, units } = await setUp('by-unit-type', [
      ['a-unit', 3, 'unit.a'],
      ['b-unit', 3, 'unit.b'],
    ]);
    await releaseTogether(api, clock, ['unit.a', 'unit.b', 'unit.a', 'unit.b']);
    await waitFor('four deliveries', () => units.reduce((n, u) => n + u.received.length, 0) === 4);
    const [a, b] = units as [Unit, Unit];
    expect(a.received.map((d) => d.task.type)).toEqual(['unit.a', 'unit.a']);
    expect(b.received.map((d) => d.task.type)).toEqual(['unit.b', 'unit.b']);
  });

  it('by-unit-type leaves a type no unit is of in its queue', async () => {
    const { api, clock, units } = await setUp('by-unit-type', [['a-unit', 3, 'unit.a']]);
    await releaseTogether(api, clock, ['unit.b', 'unit.a']);
    await waitFor('the unit.a delivery', () => (units[0]?.received.length ?? 0) === 1);
    const listed = await api.mill.list({ type: 'unit.b' });
    expect(listed.tasks.map((t) => t.status)).toEqual(['queued']);
    // A pulling claim for unit.b still gets it (waiting a little: on MySQL a claim may skip a
    // row that a claim of the dispatcher's holds locked at that instant).
    const pull = await api.request('POST', '/api/v1/workers', {
      name: 'puller',
      concurrency: 1,
      types: ['unit.b'],
    });
    const me = pull.json as { workerId: string; workerSecret: string };
    const claim = await api.request(
      'POST',
      `/api/v1/workers/${me.workerId}/claim`,
      { limit: 1, waitMs: 5_000 },
      { 'taskmill-worker-secret': me.workerSecret },
    );
    expect((claim.json as { tasks: { type: string }[] }).tasks.map((t) => t.type)).toEqual([
      'unit.b',
    ]);
    expect(units[0]?.received.map((d) => d.task.type)).toEqual(['unit.a']);
  });
});

it('startServer refuses an unknown strategy, naming the allowed ones', async () => {
  const { createTaskmill } = await import('../../src/index.ts');
  const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: TASKS });
  try {
    const refused = startServer(mill, {
      port: 0,
      remoteWorkers: { push: { strategy: 'fastest' as BalancingStrategy } },
    });
    await expect(refused).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      message: expect.stringContaining('"least-loaded", "round-robin", "by-unit-type"'),
    });
  } finally {
    await mill.close();
  }
});
