/**
 * The Store methods of the worker list: in-process workers and remote units register, heartbeat
 * and leave; a unit that chose its id (seed 002, issue 17) keeps the hash of its secret and its
 * push key beside its row, never listed. Part of the Store contract (`contract.ts`), kept apart
 * so each method's rules are read in one place.
 */
import type { WorkerInfo } from '../core/worker-info.ts';

/** What a worker says of itself when it registers and on each heartbeat: the store adds the
 * times and, from them, whether it is offline. */
export type WorkerRegistration = Omit<
  WorkerInfo,
  'lastHeartbeatAt' | 'startedAt' | 'state' | 'unitType' | 'endpoint' | 'metadata'
> & {
  state: 'online' | 'draining';
} & Partial<Pick<WorkerInfo, 'unitType' | 'endpoint' | 'metadata'>>;

/** A remote unit's credentials as stored (never listed): SHA-256 (hex) of the secret of a unit
 * that chose its id, and the key its pushed deliveries are signed with. */
export interface WorkerSecrets {
  secretHash: string | null;
  pushSecret: string | null;
}

export interface WorkerStore {
  /** Register a worker or record its heartbeat. Keeps the stored `secrets`; absent `unitType`,
   * `endpoint` or `metadata` are stored as null. */
  workerUpsert(p: { now: number; worker: WorkerRegistration }): Promise<void>;
  /** Register a remote unit under its id, in one statement: written (all columns, start time
   * `now`) when the id is free or its row is offline (silent longer than `offlineAfterMs`),
   * otherwise nothing is written and the answer is `taken`. Two registrations of one id at
   * once: at most one is written. */
  workerRegister(p: {
    now: number;
    offlineAfterMs: number;
    worker: WorkerRegistration;
    secrets: WorkerSecrets;
  }): Promise<{ ok: true } | { ok: false; reason: 'taken' }>;
  /** A worker's stored credentials, or null when no worker has the id. */
  workerGetSecrets(p: { id: string }): Promise<WorkerSecrets | null>;
  workerDelete(p: { id: string }): Promise<void>;
  /** Workers with their state; those silent for longer than `offlineAfterMs` are `offline`. */
  workerList(p: { now: number; offlineAfterMs: number }): Promise<WorkerInfo[]>;
}
