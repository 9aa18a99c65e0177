/**
 * A remote worker's credential. Registration draws a random secret and derives the worker's id
 * from it (SHA-256, laid out as a UUIDv8); every later call for that id must carry the secret
 * that hashes to it. So a `worker` token, which any number of workers may share, no longer lets
 * one of them claim, heartbeat, settle or deregister as another. Nothing is stored: any server
 * process on the same database checks a call alike, also after a restart. In-process workers
 * have UUIDv7 ids, which no secret hashes to (the version digit differs), so no remote call can
 * act for them.
 *
 * A unit that chose its own id (seed 002's `worker-001`) cannot have it derived: the server
 * stores the SHA-256 of its secret (`secret_hash`) and compares each call's against it. Chosen
 * ids are never shaped as UUIDs, so the two kinds cannot be mistaken for each other.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { stringify } from 'uuid';
import { TaskmillError } from '../../core/errors.ts';

/** The request header that carries the secret on every call after registration. */
export const WORKER_SECRET_HEADER = 'taskmill-worker-secret';

/** The id that `secret` stands for. */
export function workerIdOf(secret: string): string {
  const bytes = createHash('sha256').update(secret, 'utf8').digest().subarray(0, 16);
  // RFC 9562: version 8 (custom) in the high nibble of byte 6, variant 10 in byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return stringify(bytes);
}

/** A new worker's secret and the id it stands for. */
export function newWorkerSecret(): { workerId: string; secret: string } {
  const secret = randomBytes(32).toString('base64url');
  return { workerId: workerIdOf(secret), secret };
}

/** Refuses a call for `workerId` unless `secret` is the one its registration answered. */
export function checkWorkerSecret(workerId: string, secret: string | string[] | undefined): void {
  if (typeof secret !== 'string' || secret === '') {
    throw new TaskmillError(
      'WORKER_SECRET_INVALID',
      `Calls for worker ${workerId} must carry the workerSecret its registration answered, in the ${WORKER_SECRET_HEADER} header. A worker without it registers again (POST /api/v1/workers).`,
      { details: { workerId, header: WORKER_SECRET_HEADER } },
    );
  }
  // The id is public and the other side is a hash of the secret, so a plain comparison tells
  // an attacker nothing about the secret.
  if (workerIdOf(secret) !== workerId.toLowerCase()) {
    throw new TaskmillError(
      'WORKER_SECRET_INVALID',
      `The ${WORKER_SECRET_HEADER} header is not the secret of worker ${workerId}: a worker may only call for the id it registered.`,
      { details: { workerId, header: WORKER_SECRET_HEADER } },
    );
  }
}

/** What the store keeps of a chosen-id unit's secret: its SHA-256, in hex. */
export function secretHashOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Refuses a call for a unit that chose its id unless `secret` hashes to the stored hash. The
 * comparison takes the same time wherever the hashes differ, so timing tells nothing of it.
 */
export function checkSecretHash(
  workerId: string,
  secret: string | string[] | undefined,
  storedHash: string | null,
): void {
  if (typeof secret !== 'string' || secret === '') checkWorkerSecret(workerId, secret);
  const given = Buffer.from(secretHashOf(secret as string), 'hex');
  const stored = Buffer.from(storedHash ?? '', 'hex');
  if (stored.length !== given.length || !timingSafeEqual(given, stored)) {
    throw new TaskmillError(
      'WORKER_SECRET_INVALID',
      `The ${WORKER_SECRET_HEADER} header is not the secret of unit ${workerId}: a unit may only call for the id it registered, with the workerSecret that registration answered.`,
      { details: { workerId, header: WORKER_SECRET_HEADER } },
    );
  }
}
