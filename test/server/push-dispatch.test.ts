/**
 * Issue 17, item 3: a unit that registers an `endpoint` gets its tasks POSTed to it, signed,
 * never more at once than its capacity; it reports through the worker API like a pulling unit;
 * a delivery that fails gives the task back at once and shows in `/health/ready`. The unit here
 * is a real HTTP server on 127.0.0.1 that checks every signature as a unit must.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPush } from '../../src/index.ts';
import type { PushDelivery } from '../../src/worker/remote/push-dispatcher.ts';
import { unitTasks } from '../fixtures/unit-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { type Api, useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Units = Api<typeof unitTasks>;
const REMOTE = { leaseMs: 10_000, pollMs: 50, maxWaitMs: 1_000, deliveryTimeoutMs: 2_000 };
const INPUT = { inputFile: 'data.csv', outputFormat: 'json' };

interface Unit {
  url: string;
  /** Deliveries whose signature checked out, in arrival order. */
  received: PushDelivery[];
  /** Why each refused delivery was refused. */
  refused: string[];
  /** Set once registered: the unit checks signatures with it. */
  pushSecret: string;
  /** What the unit answers (202 accepts). */
  status: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A push unit: checks each delivery as a unit must, and answers `unit.status`. */
async function startUnit(clock: () => number = Date.now): Promise<Unit> {
  const seen = new Set<string>();
  const unit: Unit = { url: '', received: [], refused: [], pushSecret: '', status: 202 };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const delivery = JSON.parse(body) as PushDelivery;
    const check = verifyPush({
      secret: unit.pushSecret,
      header: req.headers['taskmill-signature'] as string | undefined,
      body,
      now: clock(),
      deliveryId: delivery.deliveryId,
      seen,
    });
    if (!check.ok) {
      unit.refused.push(check.reason);
      res.writeHead(401).end();
      return;
    }
    unit.received.push(delivery);
    res.writeHead(unit.status).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  unit.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
  return unit;
}

async function register(api: Units, unit: Unit, capacity: number) {
  const answer = await api.request('POST', '/api/v1/execution-units/register', {
    id: 'push-001',
    unitType: 'DATA_PROCESSING',
    unitName: 'push unit',
    capacity,
    endpoint: unit.url,
  });
  expect(answer.status, answer.text).toBe(201);
  const me = answer.json as { workerId: string; workerSecret: string; pushSecret: string };
  unit.pushSecret = me.pushSecret;
  return me;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  it('delivers signed tasks up to the unit’s capacity; the unit completes them over the API', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const unit = await startUnit();
    const me = await register(api, unit, 2);
    const tasks = [];
    for (let i = 0; i < 3; i++) tasks.push(await api.mill.submit('DATA_PROCESSING', INPUT));

    await waitFor('two deliveries', () => unit.received.length >= 2);
    // Capacity 2: the third waits while the first two run. The dispatcher claims through the
    // same capped claim as this one, which gets nothing while the unit holds two.
    const more = await api.request(
      'POST',
      `/api/v1/workers/${me.workerId}/claim`,
      { limit: 5, waitMs: 0 },
      { 'taskmill-worker-secret': me.workerSecret },
    );
    expect(more.json).toEqual({ tasks: [] });
    expect(unit.received).toHaveLength(2);
    expect(unit.refused).toEqual([]);
    const first = unit.received[0] as PushDelivery;
    expect(first).toMatchObject({
      workerId: 'push-001',
      task: { type: 'DATA_PROCESSING', input: INPUT, attempt: 1 },
    });
    expect((await api.mill.get(first.task.id))?.status).toBe('running');

    const done = await api.request(
      'POST',
      `/api/v1/workers/${me.workerId}/tasks/${first.task.id}/complete`,
      { leaseToken: first.task.leaseToken, output: { rows: 3 } },
      { 'taskmill-worker-secret': me.workerSecret },
    );
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'completed' });
    await waitFor('the third delivery', () => unit.received.length >= 3);
    expect(unit.received.map((d) => d.task.id).sort()).toEqual(tasks.map((t) => t.id).sort());

    const ready = await api.request('GET', '/health/ready');
    expect(ready.json).toMatchObject({
      endpoints: [{ workerId: 'push-001', endpoint: unit.url, state: 'up', detail: null }],
    });
  });

  it('gives a task back at once when its delivery fails, and shows the endpoint down', async () => {
    const api = await start(unitTasks, { remoteWorkers: REMOTE });
    const unit = await startUnit();
    unit.status = 503;
    await register(api, unit, 1);
    const task = await api.mill.submit('DATA_PROCESSING', INPUT);

    await waitFor('a refused delivery', () => unit.received.length >= 1);
    const back = await waitFor('the task back in its queue', async () => {
      const t = await api.mill.get(task.id);
      return t?.status === 'queued' ? t : undefined;
    });
    expect(back.attempt).toBe(0);
    const ready = await api.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({
      status: 'ok',
      endpoints: [{ workerId: 'push-001', state: 'down', detail: 'answered HTTP 503' }],
    });

    unit.status = 202;
    await waitFor('a delivery after the back-off', () => unit.received.length >= 2, {
      timeoutMs: 5_000,
    });
    await waitFor('the endpoint up again', async () => {
      const body = (await api.request('GET', '/health/ready')).json as {
        endpoints: { state: string }[];
      };
      return body.endpoints[0]?.state === 'up';
    });
  });
});

describe('a push unit checking deliveries', () => {
  it('refuses a tampered body, another secret, a stale timestamp and a replay', async () => {
    const { signPush } = await import('../../src/worker/remote/push-signature.ts');
    const body = JSON.stringify({ deliveryId: 'd-1', task: { id: 't' } });
    const now = Date.UTC(2026, 11, 6, 12);
    const header = signPush('s3cret', body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const seen = new Set<string>();
    const check = (o: { secret?: string; body?: string; at?: number; h?: string }) =>
      verifyPush({
        secret: o.secret ?? 's3cret',
        header: o.h ?? header,
        body: o.body ?? body,
        now: o.at ?? now,
        deliveryId: 'd-1',
        seen,
      });
    expect(check({ body: body.replace('t"', 'u"') })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(check({ secret: 'other' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ h: 't=1,v1=zz' })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ at: now + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ at: now + 5 * 60_000 })).toEqual({ ok: true, t: now });
    expect(check({})).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses options it does not know or that miss what it needs, naming them', () => {
    const good = { secret: 's', header: 't=1,v1=00', body: '{}', now: 1, deliveryId: 'd' };
    const codeOf = (p: unknown) => {
      try {
        verifyPush(p as Parameters<typeof verifyPush>[0]);
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
      return 'accepted';
    };
    expect(codeOf({ ...good, seen: new Set(), tolerance: 5 })).toMatch(
      /^OPTIONS_INVALID: .*tolerance/,
    );
    expect(codeOf({ ...good, seen: [] })).toMatch(/^OPTIONS_INVALID: .*seen/);
    expect(codeOf(good)).toMatch(/^OPTIONS_INVALID: .*seen/);
    expect(codeOf({ ...good, seen: new Set() })).toBe('accepted');
  });
});
