/**
 * The ways the OpenAPI fuzzer (openapi-fuzz.ts) breaks a request built valid from the document:
 * each mutation changes one thing in the draft and says where, or returns null when the
 * operation has nothing it applies to (no body, no path parameter).
 */
import {
  deepText,
  EDGE_DATES,
  EDGE_NUMBERS,
  type Json,
  nastyString,
  type Pool,
  type Rng,
  type Schema,
  wrongType,
} from './fuzz-values.ts';

export interface Param {
  name: string;
  in: string;
  schema: Schema;
  required: boolean;
}

export interface Operation {
  method: string;
  /** The path template, `/api/v1/tasks/{id}`. */
  path: string;
  params: Param[];
  body: Schema | null;
}

/** encodeURIComponent, except that a lone surrogate goes as the bytes Node would send for it. */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')]
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join('');
  }
}

type Path = (string | number)[];

const obj = (v: unknown): Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : {};

/** The request being built: encoded URL pieces, and the body as JSON plus raw-text splices. */
export interface Draft {
  pathValues: Map<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  json: Json | undefined;
  /** Body text instead of `json`: malformed documents, or none at all (''). */
  text: string | undefined;
  /** Markers in `json` replaced by raw JSON text when rendered (numbers JSON cannot hold). */
  raw: Map<string, string>;
  method: string;
}

function nodesOf(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) nodesOf(v, [...path, i], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nodesOf(v, [...path, k], out);
  }
  return out;
}

function getAt(root: Json, path: Path): Json {
  let at: Json = root;
  for (const key of path) at = (at as Record<string | number, Json>)[key] as Json;
  return at;
}

function setAt(draft: Draft, path: Path, value: Json): void {
  if (path.length === 0) {
    draft.json = value;
    return;
  }
  const parent = getAt(draft.json ?? null, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1] as string | number] = value;
}

/** Splice raw JSON text at `path`: through a marker string replaced when rendered. */
function setRaw(draft: Draft, path: Path, text: string): void {
  const marker = `@@raw${draft.raw.size}@@`;
  draft.raw.set(marker, text);
  setAt(draft, path, marker);
}

function objectNodes(draft: Draft): Path[] {
  const root = draft.json ?? null;
  return nodesOf(root).filter((p) => {
    const v = getAt(root, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
}

function anyNode(draft: Draft, rng: Rng, prefer?: (v: Json) => boolean): Path {
  const all = nodesOf(draft.json ?? null);
  const preferred = prefer ? all.filter((p) => prefer(getAt(draft.json ?? null, p))) : [];
  return rng.pick(preferred.length > 0 && rng.chance(0.8) ? preferred : all);
}

const BAD_ENUMS = ['HIGH', 'Critical', 'queued ', 'done', '4', '-1', 'createdat', 'ASC', 'null'];
const MALFORMED = [
  '{',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '\ufeff{}',
  '{}{}',
  '{"a":1} x',
  'nul',
  '"\\uZZZZ"',
  '{"a":"\\ud800"}',
  '1e999999',
  '[',
  '{"a" 1}',
  '\u0000',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/json, text/plain',
];
const BAD_PATH_VALUES = [
  'abc',
  '------------------------------------',
  'gggggggg-gggg-gggg-gggg-gggggggggggg',
  '%00',
  '%FF',
  '%F0%9F%98%80',
  '..%2F..%2Fetc',
  '%2e%2e',
  '%',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-0000000000000',
  '%20',
];

/** Cursors that decode to almost the right thing, and ones that do not decode at all. */
function badCursor(rng: Rng, pool: Pool): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url');
  // Mostly the default sort and order, so that the store reads the values instead of refusing
  // the cursor for its sort.
  const sort = rng.chance(0.7)
    ? 'createdAt'
    : rng.pick(['updatedAt', 'runAt', 'priority', 'finishedAt', 'nope']);
  const order = rng.chance(0.7) ? 'desc' : rng.pick(['asc', 'up']);
  const real = pool.cursors.length > 0 ? rng.pick(pool.cursors) : b64({});
  return rng.pick([
    () => b64({ s: sort, o: order, v: rng.pick([1.5, 1e300, -1, 2 ** 63, -(2 ** 70), 0]), i: 'x' }),
    () => b64({ s: sort, o: order, v: 1, i: rng.pick(['', '\u0000', 'x'.repeat(900), '\ud800']) }),
    () => b64({ s: sort, o: order, v: '1', i: 1 }),
    () => b64(rng.pick([null, [], 'x', 42, {}])),
    () => `${real.slice(0, -3)}${rng.word(3, 3)}`,
    () => real.split('').reverse().join(''),
    () => rng.word(1, 40),
    () => '%%%',
    () => 'x'.repeat(1001),
  ])();
}

type Mutation = (d: Draft, rng: Rng, pool: Pool, op: Operation) => string | null;

const paramsIn = (op: Operation, where: string) => op.params.filter((p) => p.in === where);
const isNumeric = (p: Param) => ['integer', 'number'].includes(String(p.schema['type']));

function setQuery(d: Draft, name: string, values: string[]): void {
  d.query = d.query.filter(([k]) => k !== name);
  for (const v of values) d.query.push([name, v]);
}

export const BODY: Record<string, Mutation> = {
  'wrong-type': (d, rng) => {
    const at = anyNode(d, rng);
    setAt(d, at, wrongType(getAt(d.json ?? null, at), rng));
    return at.join('.');
  },
  drop: (d, rng) => {
    const parents = objectNodes(d).filter(
      (p) => Object.keys(getAt(d.json ?? null, p) as object).length > 0,
    );
    if (parents.length === 0) return null;
    const at = rng.pick(parents);
    const parent = getAt(d.json ?? null, at) as Record<string, Json>;
    const key = rng.pick(Object.keys(parent));
    delete parent[key];
    return [...at, key].join('.');
  },
  extra: (d, rng) => {
    const targets = objectNodes(d);
    if (targets.length === 0) return null;
    const at = rng.pick(targets);
    const key = rng.pick(['id', 'status', 'extra', rng.word(), 'input', 'Type']);
    (getAt(d.json ?? null, at) as Record<string, Json>)[key] = rng.pick([1, 'x', null, {}]);
    return [...at, key].join('.');
  },
  'huge-string': (d, rng) => {
    const at = anyNode(d, rng, (v) => typeof v === 'string');
    setAt(d, at, 'x'.repeat(rng.pick([300, 10_000, 200_000, 1_100_000])));
    return at.join('.');
  },
  'edge-number': (d, rng) => {
    const at = anyNode(d, rng, (v) => typeof v === 'number');
    setRaw(d, at, rng.pick(EDGE_NUMBERS));
    return at.join('.');
  },
  deep: (d, rng) => {
    const at = anyNode(d, rng);
    setRaw(d, at, deepText(rng, rng.pick([64, 1_000, 20_000, 100_000])));
    return at.join('.');
  },
  proto: (d, rng) => {
    const targets = objectNodes(d);
    if (targets.length === 0) return null;
    const at = rng.pick(targets);
    const target = getAt(d.json ?? null, at) as Record<string, Json>;
    const key = rng.pick(['__proto__', 'constructor']);
    // An own property: assignment would set the prototype instead of adding the key.
    Object.defineProperty(target, key, {
      value: key === '__proto__' ? { polluted: true } : { prototype: { polluted: true } },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return [...at, key].join('.');
  },
  nul: (d, rng) => {
    const at = anyNode(d, rng, (v) => typeof v === 'string');
    const v = getAt(d.json ?? null, at);
    setAt(d, at, typeof v === 'string' ? `${v}\u0000` : '\u0000');
    return at.join('.');
  },
  unicode: (d, rng) => {
    const at = anyNode(d, rng, (v) => typeof v === 'string');
    setAt(d, at, nastyString(rng));
    return at.join('.');
  },
  'huge-array': (d, rng) => {
    const at = anyNode(d, rng, (v) => Array.isArray(v));
    const n = rng.pick([11, 101, 1_001, 10_001, 100_000]);
    setRaw(d, at, `[${'1,'.repeat(n - 1)}1]`);
    return at.join('.');
  },
  'bad-enum': (d, rng) => {
    const at = anyNode(d, rng, (v) => typeof v === 'string');
    setAt(d, at, rng.pick(BAD_ENUMS));
    return at.join('.');
  },
  root: (d, rng) => {
    d.text = rng.pick(['null', '[]', '42', '"x"', 'true', '[{}]', '{}']);
    return d.text;
  },
  malformed: (d, rng) => {
    d.text = rng.pick(MALFORMED);
    return d.text;
  },
  empty: (d) => {
    d.text = '';
    return 'no body';
  },
  'content-type': (d, rng) => {
    d.headers['content-type'] = rng.pick(CONTENT_TYPES);
    return d.headers['content-type'];
  },
};

export const PARAMS: Record<string, Mutation> = {
  'path-bad': (d, rng, _pool, op) => {
    const p = paramsIn(op, 'path');
    if (p.length === 0) return null;
    const name = rng.pick(p).name;
    d.pathValues.set(name, rng.pick(BAD_PATH_VALUES));
    return name;
  },
  'path-unknown': (d, rng, _pool, op) => {
    const p = paramsIn(op, 'path');
    if (p.length === 0) return null;
    const name = rng.pick(p).name;
    d.pathValues.set(name, rng.chance(0.7) ? rng.uuid() : `q-${rng.word()}`);
    return name;
  },
  'query-value': (d, rng, pool, op) => {
    const p = paramsIn(op, 'query');
    if (p.length === 0) return null;
    const param = rng.pick(p);
    const format = param.schema['format'] ?? obj(param.schema['items'])['format'];
    if (param.name === 'cursor') {
      setQuery(d, 'sort', []);
      setQuery(d, 'order', []);
    }
    const value =
      param.name === 'cursor'
        ? encode(badCursor(rng, pool))
        : format === 'date-time' && rng.chance(0.7)
          ? encode(rng.pick(EDGE_DATES))
          : isNumeric(param) && rng.chance(0.7)
            ? encode(rng.pick([...EDGE_NUMBERS, 'abc', '', ' 5', '0x10', 'Infinity', '-Infinity']))
            : rng.chance(0.3)
              ? rng.pick(['%00', '%FF', '%', '%zz', '%C0%AF', '%ED%A0%80'])
              : encode(rng.chance(0.5) ? rng.pick(BAD_ENUMS) : nastyString(rng));
    // Node refuses a request line over 16 KiB before the app sees it (a 431 of its own).
    setQuery(d, param.name, [value.slice(0, 8_000)]);
    return `${param.name}=${value.slice(0, 60)}`;
  },
  'query-repeat': (d, rng, _pool, op) => {
    const p = paramsIn(op, 'query');
    if (p.length === 0) return null;
    const param = rng.pick(p);
    const n = rng.pick([2, 101, 300]);
    setQuery(
      d,
      param.name,
      Array.from({ length: n }, () => encode(String(rng.int(1, 5)))),
    );
    return `${param.name} x${n}`;
  },
  'query-unknown': (d, rng) => {
    const key = rng.pick(['foo', 'limit[]', 'status[0]', '__proto__', 'constructor', rng.word()]);
    d.query.push([encode(key), encode(rng.word())]);
    return key;
  },
  'header-bad': (d, rng, _pool, op) => {
    const p = paramsIn(op, 'header');
    if (p.length === 0) return null;
    const name = rng.pick(p).name;
    d.headers[name] = rng.pick(['-1', 'abc', '9'.repeat(16), '1e3', '', '0', '999999999999999']);
    return `${name}: ${d.headers[name]}`;
  },
  method: (d, rng, _pool, op) => {
    d.method = rng.pick(
      ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => m !== op.method),
    );
    return d.method;
  },
};
