/**
 * Issue 17, item 2: execution units as seed 002 registers them — an id of their own, a unit
 * type, a name and capacity under the seed's names, an endpoint, metadata in heartbeats, the
 * seed's own paths — on a real server over HTTP, on every store. A refused registration writes
 * nothing; a claim never hands a unit more than its capacity.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.ts';
import { ManualClock } from '../../src/index.ts';
import { unitTasks } from '../fixtures/unit-tasks.ts';
import { forEachBackend, SQLITE } from '../helpers/backends.ts';
import { writesDuring } from '../helpers/db-fingerprint.ts';
import { type Api, useApi } from '../helpers/server.ts';

type Units = Api<typeof unitTasks>;
interface Registered {
  workerId: string;
  workerSecret: string;
  pushSecret?: string;
}

/** No push dispatch: these units pull (the seed's endpoint is not reachable here), and
 * test/server/push-dispatch.test.ts covers delivery. */
const REMOTE = { leaseMs: 10_000, pollMs: 50, maxWaitMs: 1_000, push: false };
const SECRET = 'taskmill-worker-secret';

/** Seed 002's registration body, with the task type this server defines. */
const SEED_UNIT = {
  id: 'worker-001',
  unitType: 'DATA_PROCESSING',
  unitName: '数据处理单元',
  capacity: 5,
  endpoint: 'http://worker-001:8080',
};
const SEED_BEAT = { currentLoad: 2, metadata: { cpuUsage: 45.2, memoryUsage: 67.8 } };
const INPUT = { inputFile: 'data.csv', outputFormat: 'json' };

async function register(api: Units, body: object): Promise<Registered> {
  const answer = await api.request('POST', '/api/v1/execution-units/register', body);
  expect(answer.status, answer.text).toBe(201);
  return answer.json as Registered;
}

function beat(api: Units, id: string, secret: string, body: object = SEED_BEAT) {
  return api.request('POST', `/api/v1/execution-units/${id}/heartbeat`, body, { [SECRET]: secret });
}

async function claim(api: Units, me: Registered, limit: number): Promise<{ id: string }[]> {
  const answer = await api.request(
    'POST',
    `/api/v1/workers/${me.workerId}/claim`,
    { limit, waitMs: 0 },
    { [SECRET]: me.workerSecret },
  );
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { tasks: { id: string; leaseToken: string }[] }).tasks;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  it('registers seed 002’s unit under its own id and shows what its heartbeats report', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const me = await register(api, SEED_UNIT);
    expect(me.workerId).toBe('worker-001');
    expect(me.pushSecret).toMatch(/^[\w-]{43}$/);

    const answer = await beat(api, me.workerId, me.workerSecret);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ lost: [], cancel: [] });

    const listed = await api.request('GET', '/api/v1/workers');
    expect(listed.json).toEqual([
      expect.objectContaining({
        id: 'worker-001',
        name: '数据处理单元',
        state: 'online',
        concurrency: 5,
        load: 2,
        types: ['DATA_PROCESSING'],
        unitType: 'DATA_PROCESSING',
        endpoint: 'http://worker-001:8080',
        metadata: { cpuUsage: 45.2, memoryUsage: 67.8 },
      }),
    ]);
    expect(listed.text).not.toContain(me.workerSecret);
    expect(listed.text).not.toContain(me.pushSecret);
    const [viaClient] = await createClient({ url: api.server.url }).workers();
    expect(viaClient).toMatchObject({
      id: 'worker-001',
      unitType: 'DATA_PROCESSING',
      endpoint: 'http://worker-001:8080',
      metadata: { cpuUsage: 45.2 },
    });

    // The same calls under the protocol's own paths and names.
    const plain = await api.request('POST', '/api/v1/workers', {
      id: 'worker-002',
      name: 'plain',
      concurrency: 1,
      types: ['DATA_PROCESSING'],
    });
    expect(plain.status, plain.text).toBe(201);
    expect(plain.json).not.toHaveProperty('pushSecret');
    const { workerSecret } = plain.json as Registered;
    const load = await api.request(
      'POST',
      '/api/v1/workers/worker-002/heartbeat',
      { load: 1 },
      { [SECRET]: workerSecret },
    );
    expect(load.status, load.text).toBe(200);
  });

  it('checks a chosen id’s secret on every call, and refuses another unit’s', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const a = await register(api, SEED_UNIT);
    const b = await register(api, { ...SEED_UNIT, id: 'worker-002', endpoint: undefined });
    const writes = await writesDuring(api.dbUrl, async () => {
      for (const secret of [b.workerSecret, `${a.workerSecret}x`, '']) {
        const answer = await beat(api, a.workerId, secret);
        expect(answer.status, secret).toBe(403);
        expect(answer.json).toMatchObject({ error: { code: 'WORKER_SECRET_INVALID' } });
      }
      const unknown = await beat(api, 'worker-404', a.workerSecret);
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({ error: { code: 'WORKER_NOT_FOUND' } });
      // An id no unit can have is refused before the store is asked (PostgreSQL refuses NUL).
      for (const id of ['%00', 'a%20b', '%E2%9C%93']) {
        const bad = await beat(api, id, a.workerSecret);
        expect(bad.status, id).toBe(403);
      }
    });
    expect(writes).toEqual([]);
    expect((await beat(api, a.workerId, a.workerSecret)).status).toBe(200);
  });

  it('refuses an id a live unit holds, writing nothing; an offline unit’s id may be taken', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 6, 12));
    const api = await start(unitTasks, { remoteWorkers: REMOTE }, { clock });
    const first = await register(api, SEED_UNIT);
    const writes = await writesDuring(api.dbUrl, async () => {
      const again = await api.request('POST', '/api/v1/execution-units/register', {
        ...SEED_UNIT,
        unitName: 'intruder',
      });
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({
        error: { code: 'WORKER_ID_TAKEN', details: { workerId: 'worker-001' } },
      });
    });
    expect(writes).toEqual([]);

    clock.advance(31_000);
    const second = await register(api, { ...SEED_UNIT, unitName: 'replacement' });
    expect(second.workerSecret).not.toBe(first.workerSecret);
    expect((await beat(api, 'worker-001', first.workerSecret)).status).toBe(403);
    expect((await beat(api, 'worker-001', second.workerSecret)).status).toBe(200);
    expect((await api.mill.workers()).map((w) => w.name)).toEqual(['replacement']);
  });

  it('refuses bad registrations and heartbeats with the field named, writing nothing', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const me = await register(api, { ...SEED_UNIT, id: 'worker-009' });
    const bad: [string, object, string][] = [
      ['capacity 0', { ...SEED_UNIT, capacity: 0 }, 'REQUEST_INVALID'],
      ['capacity over the bound', { ...SEED_UNIT, capacity: 10_001 }, 'REQUEST_INVALID'],
      ['an ftp endpoint', { ...SEED_UNIT, endpoint: 'ftp://worker-001/' }, 'REQUEST_INVALID'],
      ['a relative endpoint', { ...SEED_UNIT, endpoint: '/tasks' }, 'REQUEST_INVALID'],
      ['name and unitName', { ...SEED_UNIT, name: 'x' }, 'REQUEST_INVALID'],
      ['concurrency and capacity', { ...SEED_UNIT, concurrency: 2 }, 'REQUEST_INVALID'],
      ['no name', { id: 'w-3', capacity: 1, unitType: 'DATA_PROCESSING' }, 'REQUEST_INVALID'],
      ['no capacity', { id: 'w-3', unitName: 'n', unitType: 'DATA_PROCESSING' }, 'REQUEST_INVALID'],
      ['no type', { id: 'w-3', unitName: 'n', capacity: 1 }, 'REQUEST_INVALID'],
      ['a unit type that is no task type', { ...SEED_UNIT, unitType: 'X' }, 'TASK_TYPE_UNKNOWN'],
      ['an id with a slash', { ...SEED_UNIT, id: 'a/b' }, 'REQUEST_INVALID'],
      ['an id shaped as a UUID', { ...SEED_UNIT, id: crypto.randomUUID() }, 'REQUEST_INVALID'],
      ['an unknown field', { ...SEED_UNIT, region: 'eu' }, 'REQUEST_INVALID'],
      [
        'metadata too large',
        { ...SEED_UNIT, metadata: { blob: 'x'.repeat(17_000) } },
        'REQUEST_INVALID',
      ],
    ];
    const writes = await writesDuring(api.dbUrl, async () => {
      for (const [what, body, code] of bad) {
        const answer = await api.request('POST', '/api/v1/execution-units/register', body);
        expect(answer.status, what).toBe(400);
        expect(answer.json, what).toMatchObject({ error: { code } });
      }
      for (const [what, body] of [
        ['load and currentLoad', { load: 1, currentLoad: 1 }],
        ['a negative load', { currentLoad: -1 }],
        ['metadata that is no object', { metadata: [1, 2] }],
        ['metadata too large', { metadata: { blob: 'x'.repeat(17_000) } }],
      ] as const) {
        const answer = await beat(api, me.workerId, me.workerSecret, body);
        expect(answer.status, what).toBe(400);
      }
    });
    expect(writes).toEqual([]);
  });

  it('never hands a unit more tasks than its capacity, however it asks', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const me = await register(api, { ...SEED_UNIT, capacity: 2 });
    for (let i = 0; i < 5; i++) await api.mill.submit('DATA_PROCESSING', INPUT);
    const first = await claim(api, me, 5);
    expect(first).toHaveLength(2);
    const parallel = await Promise.all([claim(api, me, 3), claim(api, me, 3)]);
    expect(parallel.flat()).toEqual([]);
    const held = first[0] as { id: string; leaseToken?: string };
    const done = await api.request(
      'POST',
      `/api/v1/workers/${me.workerId}/tasks/${held.id}/complete`,
      { leaseToken: held.leaseToken, output: null },
      { [SECRET]: me.workerSecret },
    );
    expect(done.status, done.text).toBe(200);
    expect(await claim(api, me, 5)).toHaveLength(1);
  });

  it('renews every lease the unit holds when its heartbeat lists none', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 6, 12));
    const api = await start(unitTasks, { remoteWorkers: REMOTE }, { clock });
    const me = await register(api, SEED_UNIT);
    const task = await api.mill.submit('DATA_PROCESSING', INPUT);
    expect(await claim(api, me, 1)).toHaveLength(1);
    clock.advance(8_000);
    expect((await beat(api, me.workerId, me.workerSecret)).json).toEqual({ lost: [], cancel: [] });
    const renewed = await api.mill.get(task.id);
    expect(renewed?.leaseExpiresAt?.getTime()).toBe(clock.now() + REMOTE.leaseMs);
  });
});

describe('health per dependency', () => {
  const start = useApi(SQLITE);

  it('lists the store with its latency, answers /health/database, and 503s once the store is gone', async () => {
    const api = await start(unitTasks);
    const ready = await api.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({
      status: 'ok',
      checks: { database: 'ok' },
      dependencies: [
        { name: 'store', state: 'up', required: true, latencyMs: expect.any(Number), detail: null },
      ],
      endpoints: [],
    });
    const database = await api.request('GET', '/health/database');
    expect(database.status).toBe(200);
    expect(database.json).toMatchObject({
      status: 'ok',
      dependencies: [{ name: 'store', state: 'up' }],
    });

    await api.mill.close();
    for (const path of ['/health/ready', '/health/database']) {
      const down = await api.request('GET', path);
      expect(down.status, path).toBe(503);
      expect(down.json, path).toMatchObject({
        status: 'unavailable',
        dependencies: [{ name: 'store', state: 'down', detail: expect.any(String) }],
      });
    }
    expect((await api.request('GET', '/health')).status).toBe(200);
  });
});
