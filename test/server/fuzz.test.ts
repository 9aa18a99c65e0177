/**
 * Fuzzing driven by the OpenAPI document (issue #6): requests generated from each operation's
 * schemas, mostly broken in one way, some valid. Every answer must be under 500, an error must be
 * `{ error: { code, message, details? } }` as JSON with a registered code and its status, and a
 * refused request must leave the database as it was. Seeded: FUZZ_SEED=<n> replays a run.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/core/error-codes.ts';
import { definePipeline } from '../../src/index.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { apiTasks, resize } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { changes, openFingerprint } from '../helpers/db-fingerprint.ts';
import { emptyPool, type Pool, Rng, type Schema } from '../helpers/fuzz-values.ts';
import {
  type FuzzRequest,
  generateRequest,
  type Operation,
  operationsOf,
} from '../helpers/openapi-fuzz.ts';
import { type Api, useApi } from '../helpers/server.ts';

const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : randomInt(2 ** 31);
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${SEED}`);
/** Per backend. A count, not a time budget: a slow machine runs the same requests, later. */
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 1200);
const AUTH_REQUESTS = 150;
const VALID_SHARE = 0.25;
/** `worker` beside `admin`: admin does not reach the worker protocol, and every route should be. */
const TOKEN = 'fuzz-admin-token-0123456789';
const TOKENS = parseTokens(`${TOKEN}:admin,worker`, 'fuzz');
const MAX_REPORTED = 25;
/** A claim's long poll kept short: a valid claim with nothing to take must not stall the run.
 * No push dispatch: it would POST to the random endpoints units register here and change tasks
 * while a refusal's writes are measured (test/server/push-dispatch.test.ts covers it). */
const SERVE = { tokens: TOKENS, remoteWorkers: { maxWaitMs: 50, push: false } };

console.log(
  `fuzz seed ${SEED}: replay with FUZZ_SEED=${SEED} npx vitest run test/server/fuzz.test.ts`,
);

type TasksApi = Api<typeof apiTasks>;

interface Answer {
  status: number;
  type: string;
  text: string;
  json: unknown;
  stream: boolean;
}

async function send(api: TasksApi, req: FuzzRequest, auth: string | undefined): Promise<Answer> {
  const headers = { ...req.headers, ...(auth === undefined ? {} : { authorization: auth }) };
  const res = await fetch(`${api.server.url}${req.url}`, {
    method: req.method,
    headers,
    body: req.body,
    redirect: 'manual',
    // The event stream never ends by itself, and a hung route must fail as itself.
    signal: AbortSignal.timeout(10_000),
  });
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, type, text: '', json: undefined, stream: true };
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type, text, json, stream: false };
}

/** What is wrong with an answer, by the API's rules; [] when nothing is. */
function problemsOf(req: FuzzRequest, answer: Answer): string[] {
  const { status } = answer;
  if (status >= 500) return [`answered ${status}`];
  // A HEAD answer has headers only: its status is all there is to judge.
  if (req.method === 'HEAD') return [];
  if (status < 400) {
    const badJson = answer.type.startsWith('application/json') && answer.json === undefined;
    return badJson && status !== 204 ? ['a 2xx whose JSON body does not parse'] : [];
  }
  const problems: string[] = [];
  if (!answer.type.startsWith('application/json')) problems.push(`error as "${answer.type}"`);
  const error = (answer.json as { error?: Record<string, unknown> } | undefined)?.error;
  const code = error?.['code'];
  if (typeof code !== 'string' || typeof error?.['message'] !== 'string') {
    return [...problems, 'error body is not { error: { code, message } }'];
  }
  const details = error['details'];
  if (details !== undefined && (typeof details !== 'object' || details === null)) {
    problems.push('details is not an object');
  }
  const known = (ERROR_CODES as Record<string, { httpStatus: number }>)[code];
  if (!known) problems.push(`code ${code} is not in the registry`);
  else if (known.httpStatus !== status) problems.push(`code ${code} with status ${status}`);
  if (req.valid && code === 'REQUEST_INVALID') {
    problems.push('a request built valid from the document was refused as REQUEST_INVALID');
  }
  return problems;
}

function describeFailure(req: FuzzRequest, answer: Answer | null, problems: string[]): string {
  const body = req.body === undefined ? '' : ` body ${JSON.stringify(req.body.slice(0, 200))}`;
  const got = answer ? ` -> ${answer.status} ${answer.text.slice(0, 300)}` : '';
  return `${problems.join('; ')}: [${req.operation} | ${req.variant}] ${req.method} ${req.url.slice(0, 200)}${body}${got}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function remember(list: string[], value: unknown, cap = 200): void {
  if (typeof value !== 'string' || list.includes(value)) return;
  list.push(value);
  // Oldest out: ids answered lately are likelier to exist still.
  if (list.length > cap) list.shift();
}

/**
 * Ids, cursors, queue names and leases from what the server answered, for later requests to use;
 * `url` is the request's, since a claim's answer does not repeat the worker that claimed.
 */
function learn(pool: Pool, value: unknown, url = ''): void {
  const claimedBy = /\/api\/v1\/workers\/([^/?]+)\/claim/.exec(url)?.[1];
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    const o = v as Record<string, unknown>;
    remember(pool.cursors, o['nextCursor'], 50);
    remember(pool.queues, o['queue'], 20);
    remember(pool.workerIds, o['workerId'], 50);
    const { workerId, workerSecret } = o;
    if (typeof workerId === 'string' && typeof workerSecret === 'string') {
      pool.workerSecrets.set(workerId, workerSecret);
    }
    if (typeof o['cron'] === 'string') remember(pool.scheduleNames, o['name'], 20);
    if (typeof o['pipeline'] === 'string') {
      remember(typeof o['total'] === 'number' ? pool.batchIds : pool.runIds, o['id'], 50);
    } else if (typeof o['onFailure'] === 'string') remember(pool.pipelineNames, o['name'], 20);
    else if (typeof o['sha256'] === 'string') remember(pool.artifactIds, o['id']);
    else if (typeof o['status'] === 'string' || typeof o['leaseToken'] === 'string') {
      // Not a pipeline graph's node, whose id is its step's name.
      if (UUID.test(String(o['id']))) remember(pool.taskIds, o['id']);
    } else if (typeof o['concurrency'] === 'number') remember(pool.workerIds, o['id'], 50);
    const { id, leaseToken } = o;
    if (claimedBy && typeof id === 'string' && typeof leaseToken === 'string') {
      pool.leases.push({ workerId: decodeURIComponent(claimedBy), taskId: id, leaseToken });
      if (pool.leases.length > 50) pool.leases.shift();
    }
    stack.push(...Object.values(o));
  }
}

/** A pipeline for the pipeline routes to start, read, cancel and resume: its runs wait for a
 * worker that never comes, so they change only when a request changes them. */
const fuzzPipeline = definePipeline({
  name: 'fuzz.resize',
  input: z.object({ width: z.number().int().min(1).max(100).optional() }),
  steps: {
    resize: {
      task: resize,
      input: (c) => ({ url: 'https://example.com/p.png', width: c.input.width ?? 10 }),
    },
  },
});

/** Tasks in every state the routes act on: finished with logs and artifacts, failed, waiting,
 * cancelled; then the worker stops, so that nothing writes while the fuzzer compares. A
 * schedule that fires once a year, a pipeline run and a batch of two give the schedule and
 * pipeline routes something to find. */
async function seed(api: TasksApi): Promise<Pool> {
  const { mill } = api;
  const pool = emptyPool();
  const ran = [
    await mill.submit('image.resize', { url: 'https://example.com/a.png', width: 10 }),
    await mill.submit(
      'image.resize',
      { url: 'https://example.com/b.png', width: 20 },
      { queue: 'images' },
    ),
    await mill.submit('always.fail', {}),
    await mill.submit('always.fail', {}),
    await mill.submit('chatty', { lines: 3, size: 5 }),
  ];
  const worker = await mill.startWorker({ handleSignals: false });
  for (const t of ran) await mill.wait(t.id, { timeoutMs: 10_000 });
  await worker.stop();
  const waiting = [
    await mill.submit('sleep', { ms: 10 }, { delayMs: 3_600_000 }),
    await mill.submit('sleep', { ms: 10 }, { queue: 'slow' }),
  ];
  const cancelled = await mill.submit('sleep', { ms: 10 });
  await mill.cancel(cancelled.id, 'seed');
  for (const t of [...ran, ...waiting, cancelled]) {
    learn(pool, await mill.get(t.id));
    learn(pool, await mill.artifacts(t.id));
  }
  learn(pool, await mill.list({ limit: 2 }));
  learn(
    pool,
    await mill.schedules.add({
      name: 'fuzz-yearly',
      cron: '0 0 1 1 *',
      task: 'image.resize',
      input: { url: 'https://example.com/y.png', width: 5 },
    }),
  );
  learn(pool, await mill.pipelines.definitions());
  learn(pool, await mill.pipelines.run('fuzz.resize', { width: 3 }));
  learn(pool, await mill.pipelines.runMany('fuzz.resize', [{}, { width: 4 }]));
  pool.queues.push('default');
  return pool;
}

async function operations(api: TasksApi, pool: Pool): Promise<Operation[]> {
  const res = await fetch(`${api.server.url}/api/openapi.json`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  const ops = operationsOf(await res.json());
  for (const op of ops) {
    const type = /^\/api\/v1\/types\/([^/{}]+)\/tasks$/.exec(op.path)?.[1];
    const input = (op.body?.['properties'] as Record<string, Schema> | undefined)?.['input'];
    if (type && input) {
      pool.inputSchemas.set(type, input);
      pool.types.push(type);
    }
  }
  return ops;
}

interface Tally {
  failures: string[];
  statuses: Map<number, number>;
  reached: Set<string>;
}

/** Send `count` requests from `next`, checking each answer and, for a refusal, the database. */
async function run(
  api: TasksApi,
  count: number,
  next: (i: number) => {
    req: FuzzRequest;
    auth: string | undefined;
    expect?: (a: Answer) => string[];
  },
  pool: Pool,
): Promise<Tally> {
  const tally: Tally = { failures: [], statuses: new Map(), reached: new Set() };
  const fingerprint = await openFingerprint(api.dbUrl);
  try {
    let before = await fingerprint.read();
    for (let i = 0; i < count && tally.failures.length < MAX_REPORTED; i++) {
      const { req, auth, expect: extra } = next(i);
      let answer: Answer;
      try {
        answer = await send(api, req, auth);
      } catch (error) {
        tally.failures.push(describeFailure(req, null, [`no answer (${String(error)})`]));
        continue;
      }
      tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
      const problems = [...problemsOf(req, answer), ...(extra?.(answer) ?? [])];
      if (!answer.stream) {
        const after = await fingerprint.read();
        const wrote = changes(before, after);
        if (answer.status >= 400 && wrote.length > 0) {
          problems.push(`a refused request wrote (${wrote.join(', ')})`);
        }
        before = after;
      }
      if (answer.status < 300) {
        tally.reached.add(req.operation);
        learn(pool, answer.json, req.url);
      }
      if (problems.length > 0) tally.failures.push(describeFailure(req, answer, problems));
    }
  } finally {
    await fingerprint.close();
  }
  return tally;
}

/** Authorization headers that must all be refused: missing, malformed, wrong, almost right. */
function garbledAuthorization(rng: Rng): string | undefined {
  return rng.pick([
    () => undefined,
    () => '',
    () => 'Bearer',
    () => `Bearer ${rng.word(1, 40)}`,
    () => `Bearer ${TOKEN.slice(0, -1)}x`,
    () => `Bearer ${TOKEN} ${TOKEN}`,
    () => `Bearer ${TOKEN}${TOKEN}`,
    () => `Bearer ${TOKEN.toUpperCase()}`,
    () => `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
    () => TOKEN,
    () => `Token ${TOKEN}`,
    () => `Bearer ${'x'.repeat(rng.pick([100, 4_000, 8_000]))}`,
    () => `Bearer \u00e9\u00ff${rng.word()}`,
    () => `Bearer\t${rng.word(16, 30)}`,
    () => `Bearer ${TOKEN.slice(1)}`,
  ])();
}

/**
 * /health and /health/ready answer without a token (docs/reference/security.md); no other route
 * does.
 */
const isPublic = (req: FuzzRequest) => req.operation.startsWith('GET /health');

function summary(
  backend: string,
  tally: Tally,
  count: number,
  ops: Operation[],
  ms: number,
): string {
  const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
  const unreached = ops.map((o) => `${o.method} ${o.path}`).filter((o) => !tally.reached.has(o));
  return `fuzz ${backend}: ${count} requests in ${ms} ms, ${statuses.join(' ')}; no 2xx for ${unreached.join(', ') || 'none'}`;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('fuzzing from the OpenAPI document', () => {
    it(`answers ${REQUESTS} generated requests below 500, in the error format, refusals writing nothing`, async () => {
      const api = await start(apiTasks, SERVE, { pipelines: [fuzzPipeline] });
      const pool = await seed(api);
      const ops = await operations(api, pool);
      const rng = new Rng(SEED);
      const began = Date.now();
      const tally = await run(
        api,
        REQUESTS,
        (i) => ({
          // Round robin over operations, so each gets its share whatever the seed.
          req: generateRequest(ops[i % ops.length] as Operation, rng, pool, VALID_SHARE),
          auth: `Bearer ${TOKEN}`,
        }),
        pool,
      );
      console.log(summary(backend.name, tally, REQUESTS, ops, Date.now() - began));
      expect(tally.failures, `seed ${SEED}`).toEqual([]);
      // The valid path must be exercised too, or the fuzzer only tests the validator. Not every
      // operation each run: some need state that random requests seldom build (a claimed lease).
      // With the seeded schedule and pipeline runs, 57–65 of 66 operations answered 2xx in
      // twelve seeds; the share is set below that, with room for more operations.
      expect(tally.reached.size).toBeGreaterThan(ops.length * 0.75);
    }, 120_000);

    it(`refuses ${AUTH_REQUESTS} garbled Authorization headers with 401, never 5xx`, async () => {
      const api = await start(apiTasks, SERVE, { pipelines: [fuzzPipeline] });
      const pool = await seed(api);
      const ops = await operations(api, pool);
      const rng = new Rng(SEED + 1);
      const tally = await run(
        api,
        AUTH_REQUESTS,
        () => {
          const req = generateRequest(rng.pick(ops), rng, pool, 1);
          return {
            req,
            auth: garbledAuthorization(rng),
            expect: (a) =>
              isPublic(req) || a.status === 401 ? [] : [`expected 401, got ${a.status}`],
          };
        },
        pool,
      );
      expect(tally.failures, `seed ${SEED}`).toEqual([]);
    }, 60_000);
  });
});
