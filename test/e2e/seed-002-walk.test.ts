/**
 * Issue 17, item 7: seed 002's own story, walked step by step against a real `taskmill serve`
 * (the CLI as a user runs it) on SQLite and on MariaDB, with the seed's own paths and bodies.
 * The execution units are real HTTP servers on 127.0.0.1 that check every delivery's signature
 * and run what they receive by reporting through the worker API, as a unit in any language would.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushDelivery } from '../../src/worker/remote/push-dispatcher.ts';
import { verifyPush } from '../../src/worker/remote/push-signature.ts';
import { CliProcess, makeSandbox, runCli, type Sandbox } from '../cli/helpers.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';
import { waitFor } from '../helpers/wait-for.ts';

const WALK_TASKS = fileURLToPath(new URL('../fixtures/seed-002-walk-tasks.ts', import.meta.url));
/** Short, so a dead unit's task comes back within seconds; long enough for a loaded machine's
 * heartbeats (a third of it) to keep a live unit's leases. */
const LEASE = '3s';
const SEED_METADATA = { cpuUsage: 45.2, memoryUsage: 67.8 };
const SEED_CONFIG = { inputFile: 'data.csv', outputFormat: 'json' };
/** Unit 1's handler never reports for this input: the task it holds when it dies. */
const STUCK = 'stuck.csv';

interface Answer {
  status: number;
  json: unknown;
  text: string;
}
interface TaskJson {
  id: string;
  name: string | null;
  type: string;
  status: string;
  priority: string;
  input: unknown;
  output: unknown;
  attempt: number;
}
interface HistoryJson {
  from: string | null;
  to: string;
  reason: string | null;
  workerId: string | null;
}
interface WorkerJson {
  id: string;
  name: string;
  state: string;
  load: number;
  unitType: string | null;
  endpoint: string | null;
  metadata: Record<string, unknown> | null;
  tasks: string[];
}

/** An execution unit: its endpoint, its registration, what it received and refused. */
interface Unit {
  id: string;
  url: string;
  server: Server;
  pushSecret: string;
  workerSecret: string;
  heartbeatMs: number;
  received: PushDelivery[];
  refused: string[];
  /** Reports the server refused, or that could not be sent: a walk that passes has none. */
  failures: string[];
  running: Set<string>;
  beat: NodeJS.Timeout | null;
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

function walk(label: string, database: () => Promise<{ url: string; drop(): Promise<void> }>) {
  describe(`seed 002's walk on ${label}`, () => {
    let box: Sandbox;
    let serve: CliProcess;
    let base: string;
    let databaseUrl: string;
    let dropDatabase: () => Promise<void> = async () => undefined;
    const units: Unit[] = [];

    async function call(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Answer> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON (204): the text says what came.
      }
      return { status: res.status, json, text };
    }

    const asUnit = (unit: Unit) => ({ 'taskmill-worker-secret': unit.workerSecret });
    const task = async (id: string) => (await call('GET', `/api/v1/tasks/${id}`)).json as TaskJson;
    const history = async (id: string) =>
      (await call('GET', `/api/v1/tasks/${id}/history`)).json as HistoryJson[];
    const workers = async () => (await call('GET', '/api/v1/workers')).json as WorkerJson[];
    const settled = (id: string, timeoutMs = 15_000) =>
      waitFor(
        `task ${id} completed`,
        async () => {
          const t = await task(id);
          if (t.status === 'failed') throw new Error(`task ${id} failed: ${JSON.stringify(t)}`);
          return t.status === 'completed' ? t : undefined;
        },
        { timeoutMs, everyMs: 50 },
      );

    /** What the unit does with a delivery it took: log, progress, then complete. */
    async function run(unit: Unit, delivery: PushDelivery): Promise<void> {
      const { id, leaseToken, input } = delivery.task;
      const { inputFile, outputFormat } = input as typeof SEED_CONFIG;
      if (unit.id === 'worker-001' && inputFile === STUCK) return;
      unit.running.add(id);
      const base = `/api/v1/workers/${unit.id}/tasks/${id}`;
      const reports: [string, unknown][] = [
        [
          'logs',
          { leaseToken, lines: [{ level: 'info', message: `${unit.id} reads ${inputFile}` }] },
        ],
        ['progress', { leaseToken, percent: 50, message: 'half way' }],
        ['complete', { leaseToken, output: { rows: 3, format: outputFormat, unit: unit.id } }],
      ];
      try {
        for (const [what, body] of reports) {
          const answer = await call('POST', `${base}/${what}`, body, asUnit(unit));
          if (answer.status >= 300) unit.failures.push(`${what} ${id}: ${answer.text}`);
        }
      } catch (error) {
        unit.failures.push(`${id}: ${String(error)}`);
      } finally {
        unit.running.delete(id);
      }
    }

    /** A unit's endpoint: checks each delivery as a unit must, answers 202, then runs it. */
    async function startUnit(id: string): Promise<Unit> {
      const seen = new Set<string>();
      const server = createServer(async (req, res) => {
        const body = await readBody(req);
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
          unit.refused.push(check.reason);
          res.writeHead(401).end();
          return;
        }
        unit.received.push(delivery);
        res.writeHead(202).end();
        void run(unit, delivery);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
      const unit: Unit = {
        id,
        url,
        server,
        pushSecret: '',
        workerSecret: '',
        heartbeatMs: 0,
        received: [],
        refused: [],
        failures: [],
        running: new Set(),
        beat: null,
      };
      units.push(unit);
      return unit;
    }

    async function register(unit: Unit, unitName: string): Promise<void> {
      const answer = await call('POST', '/api/v1/execution-units/register', {
        id: unit.id,
        unitType: 'DATA_PROCESSING',
        unitName,
        capacity: 5,
        endpoint: unit.url,
      });
      expect(answer.status, answer.text).toBe(201);
      const me = answer.json as {
        workerId: string;
        workerSecret: string;
        pushSecret: string;
        heartbeatMs: number;
      };
      expect(me.workerId).toBe(unit.id);
      Object.assign(unit, {
        pushSecret: me.pushSecret,
        workerSecret: me.workerSecret,
        heartbeatMs: me.heartbeatMs,
      });
    }

    function heartbeat(unit: Unit, body: unknown): Promise<Answer> {
      return call('POST', `/api/v1/execution-units/${unit.id}/heartbeat`, body, asUnit(unit));
    }

    /** Heartbeats every `heartbeatMs`, as a live unit does, until it is killed. */
    function keepBeating(unit: Unit): void {
      unit.beat = setInterval(() => {
        heartbeat(unit, { currentLoad: unit.running.size, metadata: SEED_METADATA }).catch(
          (error: unknown) => unit.failures.push(`heartbeat: ${String(error)}`),
        );
      }, unit.heartbeatMs);
    }

    /** The unit's process dies: no more heartbeats, its endpoint gone. */
    async function kill(unit: Unit): Promise<void> {
      if (unit.beat) clearInterval(unit.beat);
      unit.beat = null;
      unit.server.closeAllConnections();
      await new Promise((r) => unit.server.close(r));
    }

    beforeAll(async () => {
      box = makeSandbox();
      const db = await database();
      dropDatabase = db.drop;
      databaseUrl = db.url === '' ? box.database : db.url;
      serve = new CliProcess(
        [
          'serve',
          ...['--port', '0', '--tasks', WALK_TASKS, '--database', databaseUrl, '--lease', LEASE],
        ],
        { cwd: box.dir },
      );
      const banner = await serve.waitForOutput(/HTTP API: (http:\/\/\S+)\/api\/v1/, 30_000);
      base = banner[1] ?? '';
      await serve.waitForOutput(/stop with Ctrl-C/);
    }, 40_000);

    afterAll(async () => {
      for (const unit of units.splice(0)) if (unit.server.listening) await kill(unit);
      await serve?.stop('SIGTERM');
      box?.cleanup();
      await dropDatabase();
    }, 20_000);

    let first: Unit;

    it('1. registers a unit with the seed’s body; its heartbeat’s metadata is listed', async () => {
      first = await startUnit('worker-001');
      await register(first, '数据处理单元');
      const beat = await heartbeat(first, { currentLoad: 2, metadata: SEED_METADATA });
      expect(beat.status, beat.text).toBe(200);
      expect(beat.json).toEqual({ lost: [], cancel: [] });
      const listed = (await workers()).find((w) => w.id === 'worker-001');
      expect(listed).toMatchObject({
        name: '数据处理单元',
        state: 'online',
        load: 2,
        unitType: 'DATA_PROCESSING',
        endpoint: first.url,
        metadata: SEED_METADATA,
      });
      expect(JSON.stringify(await workers())).not.toContain(first.workerSecret);
      const cli = await runCli(['workers', '--database', databaseUrl], { cwd: box.dir });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(
        /^数据处理单元\s+online\s+2\/5 .* worker-001 .* cpuUsage=45\.2 memoryUsage=67\.8$/m,
      );
      keepBeating(first);
    });

    let named: TaskJson;

    it('2. runs a named task submitted with the seed’s body on the unit; its output is readable', async () => {
      const created = await call('POST', '/api/v1/tasks', {
        name: '示例任务',
        taskType: 'DATA_PROCESSING',
        priority: 1,
        config: SEED_CONFIG,
      });
      expect(created.status, created.text).toBe(201);
      expect(created.json).toMatchObject({
        name: '示例任务',
        type: 'DATA_PROCESSING',
        priority: 'high',
        input: SEED_CONFIG,
      });
      const id = (created.json as TaskJson).id;
      named = await settled(id);
      expect(named.output).toEqual({ rows: 3, format: 'json', unit: 'worker-001' });
      expect(first.received.map((d) => [d.workerId, d.task.id, d.task.attempt])).toEqual([
        ['worker-001', id, 1],
      ]);
      expect(first.refused).toEqual([]);
      expect(first.failures).toEqual([]);
    });

    it('3. lists by page with a status filter and a total', async () => {
      const page = await call('GET', '/api/v1/tasks?page=1&limit=10&status=completed');
      expect(page.status, page.text).toBe(200);
      expect(page.json).toMatchObject({ total: 1, page: 1, limit: 10 });
      expect((page.json as { tasks: TaskJson[] }).tasks.map((t) => [t.id, t.name])).toEqual([
        [named.id, '示例任务'],
      ]);
      // The seed's upper-case status is refused with the names that are accepted.
      const upper = await call('GET', '/api/v1/tasks?page=1&limit=10&status=PENDING');
      expect(upper.status).toBe(400);
      expect(upper.text).toMatch(/must be one of: pending, queued, paused, running/);
    });

    it('4. holds a paused task back from the unit, and runs it once resumed; both reasons stay', async () => {
      // A delivery follows a submit within milliseconds, so the task is submitted for later,
      // paused, then made due while paused.
      const created = await call('POST', '/api/v1/tasks', {
        name: '暂停的任务',
        taskType: 'DATA_PROCESSING',
        priority: 0,
        config: { inputFile: 'later.csv', outputFormat: 'csv' },
        delayMs: 3_600_000,
      });
      expect(created.status, created.text).toBe(201);
      const id = (created.json as TaskJson).id;
      const paused = await call('PUT', `/api/v1/tasks/${id}/status`, {
        status: 'paused',
        reason: '等待上游数据',
      });
      expect(paused.status, paused.text).toBe(200);
      expect(paused.json).toMatchObject({ id, status: 'paused' });
      // The seed's own body names a status the work reaches, not an operator: refused, listing
      // what may be set.
      const seedBody = await call('PUT', `/api/v1/tasks/${id}/status`, {
        status: 'RUNNING',
        reason: '任务开始执行',
      });
      expect(seedBody.status).toBe(400);
      expect(seedBody.text).toMatch(/must be one of: pending, queued, paused, running/);
      const running = await call('PUT', `/api/v1/tasks/${id}/status`, {
        status: 'running',
        reason: '任务开始执行',
      });
      expect(running.status).toBe(409);
      expect(running.json).toMatchObject({
        error: { code: 'TASK_ILLEGAL_TRANSITION', details: { allowed: ['queued', 'cancelled'] } },
      });
      const due = await call('PATCH', `/api/v1/tasks/${id}`, { runAt: new Date().toISOString() });
      expect(due.status, due.text).toBe(200);
      expect(due.json).toMatchObject({ status: 'paused' });

      // A later, lower-priority task runs: the dispatcher went past the paused one.
      const after = await call('POST', '/api/v1/tasks', {
        name: '之后的任务',
        taskType: 'DATA_PROCESSING',
        priority: 3,
        config: SEED_CONFIG,
      });
      await settled((after.json as TaskJson).id);
      expect((await task(id)).status).toBe('paused');
      expect(first.received.map((d) => d.task.id)).not.toContain(id);

      const resumed = await call('PUT', `/api/v1/tasks/${id}/status`, {
        status: 'queued',
        reason: '上游数据已就绪',
      });
      expect(resumed.status, resumed.text).toBe(200);
      const done = await settled(id);
      expect(done.output).toEqual({ rows: 3, format: 'csv', unit: 'worker-001' });
      const reasons = (await history(id)).map((h) => [h.from, h.to, h.reason]);
      expect(reasons).toEqual(
        expect.arrayContaining([
          ['queued', 'paused', '等待上游数据'],
          ['paused', 'queued', '上游数据已就绪'],
        ]),
      );
      expect(reasons.at(-1)?.[1]).toBe('completed');
    });

    let failedOver: TaskJson;

    it('5. fails a dead unit’s task over to a second unit, which completes it', async () => {
      const created = await call('POST', '/api/v1/tasks', {
        name: '故障转移',
        taskType: 'DATA_PROCESSING',
        priority: 1,
        config: { inputFile: STUCK, outputFormat: 'json' },
      });
      const id = (created.json as TaskJson).id;
      await waitFor('the stuck task delivered to worker-001', () =>
        first.received.some((d) => d.task.id === id),
      );
      expect((await task(id)).status).toBe('running');
      expect((await workers()).find((w) => w.id === 'worker-001')?.tasks).toEqual([id]);

      await kill(first);
      const second = await startUnit('worker-002');
      await register(second, '备用处理单元');
      keepBeating(second);
      // The lease (3 s) runs out, the sweeper puts the task back, a delivery finds worker-002.
      failedOver = await settled(id, 25_000);
      expect(failedOver.output).toEqual({ rows: 3, format: 'json', unit: 'worker-002' });
      expect(second.received.map((d) => d.task.id)).toContain(id);
      expect(second.refused).toEqual([]);
      expect(second.failures).toEqual([]);

      const steps = await history(id);
      const ran = steps.filter((h) => h.to === 'running').map((h) => h.workerId);
      expect(ran[0]).toBe('worker-001');
      expect(ran.at(-1)).toBe('worker-002');
      // The sweeper's entry names the dead unit; the attempt is not used up by its death (a
      // delivery to the dead endpoint before worker-002's may add a given-back pair between).
      const back = steps.find((h) => h.from === 'running' && h.to === 'queued');
      expect(back?.reason, JSON.stringify(steps)).toMatch(/lease of worker worker-001 expired/);
      expect(failedOver.attempt).toBe(1);
      expect(steps.at(-1)).toMatchObject({
        from: 'running',
        to: 'completed',
        workerId: 'worker-002',
      });
    });

    it('6. reads the task’s logs and history, and finds the seed’s routes in the OpenAPI document', async () => {
      const logs = await call('GET', `/api/v1/tasks/${failedOver.id}/logs`);
      expect(logs.status, logs.text).toBe(200);
      expect((logs.json as { message: string }[]).map((l) => l.message)).toContain(
        'worker-002 reads stuck.csv',
      );
      const openapi = await call('GET', '/api/openapi.json');
      expect(openapi.status).toBe(200);
      const paths = Object.keys((openapi.json as { paths: Record<string, unknown> }).paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/execution-units/register',
          '/api/v1/execution-units/{workerId}/heartbeat',
          '/api/v1/tasks',
          '/api/v1/tasks/{id}/status',
          '/api/v1/tasks/{id}/history',
          '/api/v1/tasks/{id}/logs',
        ]),
      );
    });

    it('answers the seed’s health checks: /health, /health/ready per dependency, /health/database', async () => {
      const live = await call('GET', '/health');
      expect(live.status).toBe(200);
      expect(live.json).toMatchObject({ status: 'ok' });
      const ready = await call('GET', '/health/ready');
      expect(ready.status, ready.text).toBe(200);
      const body = ready.json as {
        status: string;
        dependencies: { name: string; state: string; required: boolean }[];
        endpoints: { workerId: string; state: string }[];
      };
      expect(body.status).toBe('ok');
      expect(body.dependencies.map((d) => [d.name, d.state])).toEqual(
        expect.arrayContaining([
          ['store', 'up'],
          ['worker', 'up'],
        ]),
      );
      expect(body.dependencies.filter((d) => d.required && d.state !== 'up')).toEqual([]);
      expect(body.endpoints).toEqual(
        expect.arrayContaining([expect.objectContaining({ workerId: 'worker-002', state: 'up' })]),
      );
      const db = await call('GET', '/health/database');
      expect(db.status, db.text).toBe(200);
      expect(db.json).toMatchObject({
        status: 'ok',
        dependencies: [{ name: 'store', state: 'up', required: true }],
      });
    });

    it('stops on SIGTERM with exit code 0', async () => {
      for (const unit of units) if (unit.server.listening) await kill(unit);
      expect(await serve.stop('SIGTERM'), serve.stderr).toBe(0);
    });
  });
}

walk('SQLite', async () => ({ url: '', drop: async () => undefined }));
walk('MariaDB', async () => freshMysqlDatabase('seed_002_walk'));
