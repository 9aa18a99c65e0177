/**
 * Requests generated from the OpenAPI document: for each operation, one built valid from its
 * parameter and body schemas, then (most of the time) broken in one way — a wrong type, a
 * missing or extra field, an edge number, deep nesting, a poisoning key, a NUL, odd unicode, a
 * huge string or array, a malformed or empty body, another content type, an unknown or
 * malformed id, a bad cursor, a bad enum value. One change per request, so a failure names it.
 */
import { WORKER_SECRET_HEADER } from '../../src/worker/remote/worker-secret.ts';
import { BODY, type Draft, encode, type Operation, PARAMS } from './fuzz-mutations.ts';
import { type Pool, type Rng, type Schema, validValue } from './fuzz-values.ts';

export type { Operation } from './fuzz-mutations.ts';

export interface FuzzRequest {
  /** `METHOD /template`, and what was done to it: enough to replay it by hand. */
  operation: string;
  variant: string;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Built valid from the document, unchanged: the validator must not refuse its shape. */
  valid: boolean;
}

const obj = (v: unknown): Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {};

/** Every operation of the document, with its parameters and JSON body schema. */
export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(obj(obj(doc)['paths']))) {
    for (const [method, op] of Object.entries(obj(item))) {
      const params = Array.isArray(obj(op)['parameters'])
        ? (obj(op)['parameters'] as unknown[]).map((p) => ({
            name: String(obj(p)['name']),
            in: String(obj(p)['in']),
            schema: obj(obj(p)['schema']),
            required: obj(p)['required'] === true,
          }))
        : [];
      const content = obj(obj(obj(op)['requestBody'])['content']);
      const json = content['application/json'];
      out.push({
        method: method.toUpperCase(),
        path,
        params,
        body: json === undefined ? null : obj(obj(json)['schema']),
      });
    }
  }
  return out;
}

function draftOf(op: Operation, rng: Rng, pool: Pool): Draft {
  const draft: Draft = {
    pathValues: new Map(),
    query: [],
    headers: {},
    json: undefined,
    text: undefined,
    raw: new Map(),
    method: op.method,
  };
  for (const p of op.params) {
    if (!p.required && !rng.chance(0.35)) continue;
    const value = validValue(p.schema, rng, pool, p.name);
    if (p.in === 'path') draft.pathValues.set(p.name, encode(String(value)));
    else if (p.in === 'header') draft.headers[p.name] = String(value);
    else if (p.in === 'query') {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (p.name === 'cursor' && pool.cursors.length === 0) continue;
        const text = p.name === 'cursor' ? rng.pick(pool.cursors) : String(v);
        draft.query.push([p.name, encode(text)]);
      }
    }
  }
  if (op.body) draft.json = validValue(op.body, rng, pool);
  // Every change is sent as JSON, a body-less one too, as the server requires.
  if (op.body || (op.method !== 'GET' && op.method !== 'HEAD')) {
    draft.headers['content-type'] = 'application/json';
  }
  return draft;
}

function render(op: Operation, d: Draft): { url: string; body: string | undefined } {
  let url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => d.pathValues.get(name) ?? '');
  if (d.query.length > 0) url += `?${d.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
  let body = d.text;
  if (body === undefined && d.json !== undefined) {
    body = JSON.stringify(d.json);
    for (const [marker, text] of d.raw) body = body.replace(`"${marker}"`, text);
  }
  // fetch refuses a body on GET and HEAD.
  if (d.method === 'GET' || d.method === 'HEAD') body = undefined;
  return { url, body };
}

const NAMED_PATHS: [prefix: string, param: string, known: (pool: Pool) => string[]][] = [
  ['/api/v1/schedules/{name}', 'name', (pool) => pool.scheduleNames],
  ['/api/v1/pipelines/{name}', 'name', (pool) => pool.pipelineNames],
  ['/api/v1/pipeline-runs/{id}', 'id', (pool) => pool.runIds],
  ['/api/v1/pipeline-batches/{id}', 'id', (pool) => pool.batchIds],
];

/** One request for `op`: valid with probability `validShare`, else broken in one way. */
export function generateRequest(
  op: Operation,
  rng: Rng,
  pool: Pool,
  validShare: number,
): FuzzRequest {
  pool.pinned.clear();
  // A worker's write about a task is valid only with the lease it claimed: use one whole.
  if (op.params.some((p) => p.name === 'workerId') && pool.leases.length > 0 && rng.chance(0.7)) {
    const lease = rng.pick(pool.leases);
    for (const [k, v] of Object.entries(lease)) pool.pinned.set(k, v);
    pool.pinned.set('id', lease.taskId);
  }
  // The worker protocol's calls for a worker id carry its secret: name a worker whose it is.
  if (op.params.some((p) => p.name === 'workerId') && pool.workerSecrets.size > 0) {
    if (!pool.pinned.has('workerId') && rng.chance(0.7)) {
      pool.pinned.set('workerId', rng.pick([...pool.workerSecrets.keys()]));
    }
    const secret = pool.workerSecrets.get(pool.pinned.get('workerId') ?? '');
    if (secret !== undefined) pool.pinned.set(WORKER_SECRET_HEADER, secret);
  }
  // A path naming a schedule, pipeline, run or batch: mostly one that exists.
  const named = NAMED_PATHS.find(([prefix]) => op.path.startsWith(prefix));
  const known = named ? named[2](pool) : [];
  if (named && known.length > 0 && rng.chance(0.8)) pool.pinned.set(named[1], rng.pick(known));
  const d = draftOf(op, rng, pool);
  let variant = 'valid';
  if (!rng.chance(validShare)) {
    const mutations = Object.entries({ ...(op.body ? BODY : {}), ...PARAMS });
    for (let tries = 0; tries < 5 && variant === 'valid'; tries++) {
      const [name, mutate] = rng.pick(mutations);
      const where = mutate(d, rng, pool, op);
      if (where !== null) variant = `${name} ${where.slice(0, 80)}`;
    }
  }
  const { url, body } = render(op, d);
  return {
    operation: `${op.method} ${op.path}`,
    variant,
    method: d.method,
    url,
    headers: d.headers,
    body,
    valid: variant === 'valid',
  };
}
