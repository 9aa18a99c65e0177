/**
 * What a registration and a heartbeat body mean once their aliases are resolved: seed 002's
 * `unitName`, `capacity` and `currentLoad` stand for `name`, `concurrency` and `load`; a unit
 * that names no `types` serves the task type of its `unitType`. Each pair takes one of its two
 * names, never both, so a body cannot say two things at once.
 */
import { type FieldIssue, ValidationError } from '../../core/errors.ts';
import type { RemoteHeartbeat, RemoteRegistration } from './protocol.ts';

/** The most tasks a unit may declare it runs at once (`concurrency` / `capacity`). */
export const MAX_CAPACITY = 10_000;
/** The most a unit's `metadata` may weigh, as JSON (registration and every heartbeat). */
export const MAX_METADATA_BYTES = 16_384;
/** What a chosen id may hold. */
export const UNIT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A chosen id, as the JSON Schema states it: the id pattern, not shaped as a UUID. */
export const CHOSEN_ID_PATTERN =
  '^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)[A-Za-z0-9._:-]{1,128}$';

/** Ids shaped as UUIDs are the server's own: derived from a secret, or an in-process worker's. */
export function isServerMadeId(id: string): boolean {
  return UUID_SHAPE.test(id);
}

export interface UnitRegistration {
  id: string | null;
  name: string;
  concurrency: number;
  types: string[];
  unitType: string | null;
  endpoint: string | null;
  metadata: Record<string, unknown> | null;
}

function refuse(message: string, issues: FieldIssue[]): never {
  throw new ValidationError('REQUEST_INVALID', message, issues);
}

/** One of two names for one field: the value, or a refusal when both are given. */
function oneOf<T>([a, b]: [string, string], values: [T | undefined, T | undefined]): T | undefined {
  const [x, y] = values;
  if (x !== undefined && y !== undefined) {
    refuse(`Give "${a}" or "${b}", not both: "${b}" is seed 002's name for "${a}".`, [
      { path: b, message: `an alias of ${a}, which the body gives too` },
    ]);
  }
  return x ?? y;
}

export function checkMetadata(metadata: Record<string, unknown> | undefined): void {
  if (metadata === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > MAX_METADATA_BYTES) {
    refuse(
      `metadata is ${bytes} bytes as JSON; a unit may send at most ${MAX_METADATA_BYTES}. Send the figures the fleet view needs (CPU, memory…), not logs.`,
      [{ path: 'metadata', message: `at most ${MAX_METADATA_BYTES} bytes as JSON` }],
    );
  }
}

function checkEndpoint(endpoint: string): void {
  let url: URL | null = null;
  try {
    url = new URL(endpoint);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
    refuse(
      `endpoint "${endpoint}" is not an absolute http:// or https:// URL: give the URL the server POSTs the unit's tasks to, e.g. "http://worker-001:8080".`,
      [{ path: 'endpoint', message: 'expected an absolute http:// or https:// URL' }],
    );
  }
}

/** The registration with its aliases resolved; refuses what the JSON Schema cannot say. */
export function unitRegistration(body: RemoteRegistration): UnitRegistration {
  const name = oneOf(['name', 'unitName'], [body.name, body.unitName]);
  const concurrency = oneOf(['concurrency', 'capacity'], [body.concurrency, body.capacity]);
  if (name === undefined) {
    refuse('Name the unit: give "name" (or seed 002\'s "unitName").', [
      { path: 'name', message: 'required (or unitName)' },
    ]);
  }
  if (concurrency === undefined) {
    refuse(
      `Say how many tasks the unit runs at once: give "concurrency" (or seed 002's "capacity"), 1 to ${MAX_CAPACITY}.`,
      [{ path: 'concurrency', message: 'required (or capacity)' }],
    );
  }
  const types = body.types ?? (body.unitType === undefined ? undefined : [body.unitType]);
  if (types === undefined) {
    refuse('Name the task types the unit runs: give "types", or a "unitType" that is one.', [
      { path: 'types', message: 'required (or unitType)' },
    ]);
  }
  if (body.id !== undefined && isServerMadeId(body.id)) {
    refuse(
      `id "${body.id}" is shaped as a UUID, which the server keeps for the ids it makes; choose another (e.g. "worker-001"), or leave id out to get one.`,
      [{ path: 'id', message: 'must not be shaped as a UUID' }],
    );
  }
  if (body.endpoint !== undefined) checkEndpoint(body.endpoint);
  checkMetadata(body.metadata);
  return {
    id: body.id ?? null,
    name,
    concurrency,
    types,
    unitType: body.unitType ?? null,
    endpoint: body.endpoint ?? null,
    metadata: body.metadata ?? null,
  };
}

/** The load a heartbeat reports (either name), or undefined to keep the last one. */
export function heartbeatLoad(beat: RemoteHeartbeat): number | undefined {
  checkMetadata(beat.metadata);
  return oneOf(['load', 'currentLoad'], [beat.load, beat.currentLoad]);
}
