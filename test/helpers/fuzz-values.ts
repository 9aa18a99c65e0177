/**
 * Values for the OpenAPI-driven fuzzer (openapi-fuzz.ts): a seeded generator of its own, so a
 * failing run replays from its seed alone; values built valid from a JSON Schema; and the
 * hostile values (wrong types, edge numbers, NUL, odd unicode, deep nesting) it swaps in.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** One node of a JSON Schema, as the OpenAPI document holds it. */
export type Schema = Record<string, unknown>;

/** mulberry32: tiny, fast, and good enough to pick among test cases; not for secrets. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: nothing to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  word(min = 1, max = 12): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let n = this.int(min, max); n > 0; n--) out += chars[this.int(0, chars.length - 1)];
    return out;
  }
  uuid(): string {
    const hex = () => this.int(0, 15).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-7${part(3)}-${this.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }
}

/** What the server has shown so far, so that valid requests name things that exist. */
export interface Pool {
  taskIds: string[];
  artifactIds: string[];
  queues: string[];
  types: string[];
  cursors: string[];
  workerIds: string[];
  /** Each registered remote worker's secret, by its id: its calls carry it in a header. */
  workerSecrets: Map<string, string>;
  /** Tasks a remote worker claimed: the worker protocol's writes need all three to match. */
  leases: { workerId: string; taskId: string; leaseToken: string }[];
  /** Values this request must use for a property or parameter of that name (one lease). */
  pinned: Map<string, string>;
  /** Each task type's input schema, from its typed submit route. */
  inputSchemas: Map<string, Schema>;
  /** Schedules, pipelines, pipeline runs and batches that exist: path names and ids to use. */
  scheduleNames: string[];
  pipelineNames: string[];
  runIds: string[];
  batchIds: string[];
}

/** Cron expressions that parse and fire once a year at most: a schedule made while the fuzzer
 * runs must not fire and write behind a refusal it is measuring. */
const RARE_CRONS = ['0 0 1 1 *', '30 3 29 2 *', '@yearly', '15 4 1 7 *'];

export function emptyPool(): Pool {
  return {
    taskIds: [],
    artifactIds: [],
    queues: [],
    types: [],
    cursors: [],
    workerIds: [],
    workerSecrets: new Map(),
    leases: [],
    pinned: new Map(),
    inputSchemas: new Map(),
    scheduleNames: [],
    pipelineNames: [],
    runIds: [],
    batchIds: [],
  };
}

const asSchema = (v: unknown): Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {};
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function typesOf(schema: Schema): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  if (schema['properties']) return ['object'];
  if (schema['items']) return ['array'];
  return [];
}

function dateTimeNear(rng: Rng): string {
  return new Date(
    Date.now() + rng.int(-30, 30) * 86_400_000 + rng.int(0, 86_399_999),
  ).toISOString();
}

/** Strings likely to match a `pattern`: the ids and names the server knows, and shapes of them. */
function patternCandidates(rng: Rng, pool: Pool, name: string): string[] {
  const lower = name.toLowerCase();
  const ids = lower.includes('artifact')
    ? pool.artifactIds
    : lower.includes('worker')
      ? pool.workerIds
      : pool.taskIds;
  return [
    ...(ids.length > 0 && rng.chance(0.8) ? [rng.pick(ids)] : []),
    ...(pool.queues.length > 0 ? [rng.pick(pool.queues)] : []),
    rng.uuid(),
    String(rng.int(0, 10_000)),
    rng.word(1, 20),
  ];
}

function validString(schema: Schema, rng: Rng, pool: Pool, name: string): string {
  const pinned = pool.pinned.get(name);
  if (pinned !== undefined) return pinned;
  const format = schema['format'];
  if (format === 'date-time') return dateTimeNear(rng);
  if (format === 'uri') return `https://example.com/${rng.word()}.png`;
  // A task id (dependsOn): one that exists now and then, which makes a dependency of it.
  if (format === 'uuid') {
    return pool.taskIds.length > 0 && rng.chance(0.5) ? rng.pick(pool.taskIds) : rng.uuid();
  }
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') {
    const re = new RegExp(pattern, 'u');
    const hit = patternCandidates(rng, pool, name).find((s) => re.test(s));
    if (hit !== undefined) return hit;
  }
  if (name === 'cron') return rng.pick(RARE_CRONS);
  const min = num(schema['minLength']) ?? 0;
  const max = Math.min(num(schema['maxLength']) ?? 24, min + 24);
  const known =
    name.startsWith('type') || name === 'task'
      ? pool.types
      : name.startsWith('queue')
        ? pool.queues
        : [];
  if (known.length > 0 && rng.chance(0.9)) return rng.pick(known);
  return rng.word(Math.max(min, 1), Math.max(max, 1)).slice(0, Math.max(max, min));
}

function validNumber(schema: Schema, rng: Rng, integer: boolean): number {
  const min = num(schema['minimum']) ?? (rng.chance(0.2) ? -1000 : 0);
  const max = num(schema['maximum']) ?? min + 1000;
  // Mostly near the bottom of a wide range: real requests are small, and edges come later.
  const top = rng.chance(0.8) ? Math.min(max, min + 100) : max;
  const n = rng.int(Math.ceil(min), Math.floor(top));
  return integer || rng.chance(0.5) ? n : Math.min(max, n + 0.5);
}

/** A value that the schema accepts, drawn at random. `name` is the property it is for. */
export function validValue(schema: Schema, rng: Rng, pool: Pool, name = '', depth = 0): Json {
  const choice = schema['enum'];
  if (Array.isArray(choice) && choice.length > 0) return rng.pick(choice) as Json;
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches) && branches.length > 0) {
    return validValue(asSchema(rng.pick(branches)), rng, pool, name, depth);
  }
  const types = typesOf(schema);
  const nonNull = types.filter((t) => t !== 'null');
  const type =
    nonNull.length > 0 && (nonNull.length === types.length || rng.chance(0.8))
      ? rng.pick(nonNull)
      : types.length > 0
        ? 'null'
        : undefined;
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
      return validString(schema, rng, pool, name);
    case 'integer':
    case 'number':
      return validNumber(schema, rng, type === 'integer');
    case 'array': {
      const min = num(schema['minItems']) ?? 0;
      const max = Math.min(num(schema['maxItems']) ?? 3, min + 3);
      const items = asSchema(schema['items']);
      return Array.from({ length: rng.int(min, max) }, () =>
        validValue(items, rng, pool, name, depth + 1),
      );
    }
    case 'object':
      return validObject(schema, rng, pool, depth);
    default:
      return depth > 2 ? rng.word() : anyJson(rng, depth);
  }
}

function validObject(schema: Schema, rng: Rng, pool: Pool, depth: number): Json {
  const properties = asSchema(schema['properties']);
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const out: { [key: string]: Json } = {};
  for (const [key, sub] of Object.entries(properties)) {
    if (required.includes(key) || rng.chance(0.35)) {
      out[key] = validValue(asSchema(sub), rng, pool, key, depth + 1);
    }
  }
  // The generic submit route's `input` schema depends on its `type`, which the document cannot
  // say: pair them up from the typed routes, or every generic submit would be refused.
  // A schedule's `task` and `input` are such a pair too.
  const typeKey = 'type' in properties ? 'type' : 'cron' in properties ? 'task' : undefined;
  if (typeKey && typeKey in properties && 'input' in properties && pool.inputSchemas.size > 0) {
    const type = rng.pick([...pool.inputSchemas.keys()]);
    out[typeKey] = type;
    out['input'] = validValue(pool.inputSchemas.get(type) ?? {}, rng, pool, 'input', depth + 1);
    // Seed 002's aliases of the two (`taskType`, `config`) are one of a pair, never both.
    delete out['taskType'];
    delete out['config'];
  }
  const least = num(schema['minProperties']) ?? 0;
  const keys = Object.keys(properties);
  while (Object.keys(out).length < Math.min(least, keys.length)) {
    const key = rng.pick(keys.filter((k) => !(k in out)));
    out[key] = validValue(asSchema(properties[key]), rng, pool, key, depth + 1);
  }
  return out;
}

function anyJson(rng: Rng, depth: number): Json {
  switch (rng.int(0, 5)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.int(-1000, 1000);
    case 3:
      return rng.word();
    case 4:
      return depth > 1 ? [] : [anyJson(rng, depth + 1), anyJson(rng, depth + 1)];
    default:
      return depth > 1 ? {} : { [rng.word()]: anyJson(rng, depth + 1) };
  }
}

/** A value of another JSON type than `current`. */
export function wrongType(current: Json, rng: Rng): Json {
  const kinds: Json[] = [null, true, 0, -1, 1.5, 'x', '', [], {}, [1, 'a'], { a: 1 }];
  const kindOf = (v: Json) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  return rng.pick(kinds.filter((k) => kindOf(k) !== kindOf(current)));
}

/** Numbers at the edges, as JSON text: some are not representable in a double or a bigint. */
export const EDGE_NUMBERS = [
  '-1',
  '0',
  '-0',
  '0.5',
  '1.5',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '9223372036854775808',
  '-9223372036854775809',
  '4294967296',
  '100000000000000000000000000000',
  '1.0',
  '2e0',
  '31536000001',
  '1001',
  '10001',
  '100001',
];

/** Strings that have broken parsers, drivers and terminals: each must be refused or kept. */
export function nastyString(rng: Rng): string {
  return rng.pick([
    () => '',
    () => ' ',
    () => `a\u0000b`,
    () => '\u0000',
    () => '\ud800',
    () => 'x\udfffy',
    () => '\ud83d\ude00'.repeat(rng.int(1, 300)),
    () => '\u202e\u0645\u0631\u062d\u0628\u0627',
    () => 'e\u0301\u0301\u0301\u200b\ufeff',
    () => '\u{10ffff}\u{e0001}',
    () => '%00%FF%C0%AF',
    () => "'; drop table tasks; --",
    () => `\${7*7}{{7*7}}<script>`,
    () => '\r\n\t\\"',
    () => 'x'.repeat(rng.pick([129, 256, 1001, 5000, 70_000])),
    () => 'NaN',
    () => '2026-06-30T23:59:60Z',
    () => '__proto__',
  ])();
}

/** Date-times the validator may take that `new Date` reads differently, or not at all. */
export const EDGE_DATES = [
  '2026-06-30T23:59:60Z',
  '2026-12-31T23:59:60.999Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-23:59',
  '2026-01-01t00:00:00z',
  '2026-01-01T00:00:00.123456789Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '2026-01-01 00:00:00Z',
  '2026-01-01',
  'yesterday',
];

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels deep, as JSON text (no stack used to build it). */
export function deepText(rng: Rng, depth: number): string {
  return rng.chance(0.5)
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
