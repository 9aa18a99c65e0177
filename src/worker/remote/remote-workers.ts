import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { timeoutFor, validateQueueName } from '../../core/define-task.ts';
import {
  TaskmillError,
  UnknownTaskTypeError,
  ValidationError,
  WorkerNotFoundError,
} from '../../core/errors.ts';
import { checkOptions, is, type OptionSpec, optionSpec } from '../../core/options-check.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { ClaimedTask } from '../../store/contract.ts';
import { emitClaimed } from '../status-events.ts';
import type {
  ClaimedRemoteTask,
  ClaimRequest,
  CompleteReport,
  FailReport,
  HeartbeatAnswer,
  LogReport,
  ProgressReport,
  RemoteHeartbeat,
  RemoteRegistered,
  RemoteRegistration,
  RemoteTiming,
  SettleAnswer,
} from './protocol.ts';
import {
  type EndpointHealth,
  PUSH_OPTION_RULE,
  PushDispatcher,
  type PushOptions,
  pushStrategyOf,
} from './push-dispatcher.ts';
import { RemoteAttempts, type RemoteWorkersDeps } from './remote-attempts.ts';
import {
  heartbeatLoad,
  isServerMadeId,
  UNIT_ID_PATTERN,
  unitRegistration,
} from './unit-registration.ts';
import { Wakeups } from './wakeups.ts';
import {
  checkSecretHash,
  checkWorkerSecret,
  newWorkerSecret,
  secretHashOf,
} from './worker-secret.ts';

export interface RemoteWorkersOptions {
  /** Default 30 s. */
  leaseMs?: number;
  /** Default a third of the lease, at most 10 s. */
  heartbeatMs?: number;
  /** Default 30 s. */
  maxWaitMs?: number;
  /** How often a waiting claim looks again without a wake-up (other processes on SQLite, a
   * resumed queue). Default 1 s. */
  pollMs?: number;
  /** How long a push unit has to answer a delivery before its task is given back. Default
   * 10 s. */
  deliveryTimeoutMs?: number;
  /** Deliver tasks to units that registered an endpoint (`startPush`). Default true; false
   * leaves push units registered but undelivered to, e.g. when another server pushes;
   * `{ strategy }` pushes with that balancing strategy (balancing.ts). */
  push?: boolean | PushOptions;
}

/** What `remoteWorkers` takes (and `startServer`'s `remoteWorkers`). */
export const REMOTE_WORKERS_SPEC: OptionSpec = optionSpec<RemoteWorkersOptions>({
  leaseMs: is.ms(1),
  heartbeatMs: is.ms(1),
  maxWaitMs: is.ms(0),
  pollMs: is.ms(1),
  deliveryTimeoutMs: is.ms(1),
  push: PUSH_OPTION_RULE,
});

/** Listed workers older than this are offline; a remote worker heartbeats well inside it. */
const OFFLINE_AFTER_MS = 60_000;
const MAX_CLAIM = 100;

/**
 * The worker protocol that `taskmill serve` offers over HTTP, so that a program in any language
 * can run tasks: register, heartbeat, claim (with a long poll), report progress and logs, and
 * complete, fail or release, all under the same leases and fencing tokens as an in-process
 * worker. Remote workers are rows in the same worker list; their dead ones are found by the
 * lease sweeper of any in-process worker, like any other.
 */
export class RemoteWorkers {
  readonly timing: RemoteTiming;
  private readonly deps: RemoteWorkersDeps;
  private readonly wakeups: Wakeups;
  private readonly attempts: RemoteAttempts;
  private readonly pollMs: number;
  private readonly push: PushDispatcher;
  private readonly pushes: boolean;

  constructor(deps: RemoteWorkersDeps, options: RemoteWorkersOptions = {}) {
    checkOptions(REMOTE_WORKERS_SPEC, options);
    this.deps = deps;
    const leaseMs = options.leaseMs ?? 30_000;
    this.timing = {
      leaseMs,
      heartbeatMs: options.heartbeatMs ?? Math.max(10, Math.min(10_000, Math.floor(leaseMs / 3))),
      maxWaitMs: options.maxWaitMs ?? 30_000,
    };
    this.pollMs = options.pollMs ?? 1_000;
    this.wakeups = new Wakeups(deps.bus, deps.store);
    this.attempts = new RemoteAttempts(deps);
    this.pushes = options.push !== false;
    this.push = new PushDispatcher(deps, {
      leaseMs,
      pollMs: this.pollMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
      strategy: pushStrategyOf(options.push),
      started: (workerId, c) => this.started(workerId, c),
      giveBack: (workerId, claimed, reason) => this.attempts.giveBack(workerId, claimed, reason),
    });
  }

  /** Deliver the tasks of units with an `endpoint` to it (push-dispatcher.ts), until `close`. */
  startPush(onError?: (error: unknown) => void): void {
    if (!this.pushes) return;
    if (onError) this.push.onError = onError;
    this.push.start();
  }

  /** Each push unit's endpoint as its last delivery found it. */
  endpoints(): EndpointHealth[] {
    return this.push.endpoints();
  }

  /** The answer carries the worker's secret: every later call for its id must send it. A unit
   * with an `endpoint` also gets the secret its deliveries are signed with (`pushSecret`). */
  async register(body: RemoteRegistration): Promise<RemoteRegistered> {
    const reg = unitRegistration(body);
    this.knownTypes(reg.types);
    for (const [i, q] of (body.queues ?? []).entries()) validateQueueName(q, `queues.${i}`);
    const drawn = newWorkerSecret();
    const workerId = reg.id ?? drawn.workerId;
    const pushSecret = reg.endpoint === null ? null : randomBytes(32).toString('base64url');
    const answer = await this.deps.store.workerRegister({
      now: this.deps.clock.now(),
      offlineAfterMs: this.deps.workerTimeoutMs ?? 30_000,
      worker: {
        id: workerId,
        name: reg.name,
        host: body.host ?? hostname(),
        pid: body.pid ?? 0,
        concurrency: reg.concurrency,
        types: [...reg.types],
        queues: body.queues && body.queues.length > 0 ? [...body.queues] : null,
        version: body.version ?? 'remote',
        load: 0,
        rssBytes: 0,
        state: 'online',
        unitType: reg.unitType,
        endpoint: reg.endpoint,
        metadata: reg.metadata,
      },
      secrets: { secretHash: reg.id === null ? null : secretHashOf(drawn.secret), pushSecret },
    });
    if (!answer.ok) {
      throw new TaskmillError(
        'WORKER_ID_TAKEN',
        `Unit id "${workerId}" is held by a live unit (it heartbeats). Choose another id, or stop that unit: once it has been silent for ${Math.round((this.deps.workerTimeoutMs ?? 30_000) / 1000)} s its id may be registered again.`,
        { details: { workerId } },
      );
    }
    this.deps.bus.emit('worker.started', { workerId, concurrency: reg.concurrency });
    if (reg.endpoint !== null) this.push.wake();
    const registered: RemoteRegistered = { workerId, workerSecret: drawn.secret, ...this.timing };
    return pushSecret === null ? registered : { ...registered, pushSecret };
  }

  /**
   * Refuses a call for `workerId` without its secret: a server-made id is checked against the
   * secret it derives from; a chosen one against the hash its registration stored.
   */
  async authenticate(workerId: string, secret: string | string[] | undefined): Promise<void> {
    // An id no unit may choose (a UUID, or no id at all: `%00`) is checked without the store:
    // no secret hashes to a malformed one, so it is refused as any wrong secret is.
    if (isServerMadeId(workerId) || !UNIT_ID_PATTERN.test(workerId)) {
      return checkWorkerSecret(workerId, secret);
    }
    if (typeof secret !== 'string' || secret === '') return checkWorkerSecret(workerId, secret);
    const stored = await this.deps.store.workerGetSecrets({ id: workerId });
    if (stored === null) throw new WorkerNotFoundError(workerId);
    checkSecretHash(workerId, secret, stored.secretHash);
  }

  /** Record that the worker lives, renew the leases it holds, and say which to stop. */
  async heartbeat(workerId: string, beat: RemoteHeartbeat): Promise<HeartbeatAnswer> {
    const load = heartbeatLoad(beat);
    await this.touch(workerId, { load, rssBytes: beat.rssBytes, metadata: beat.metadata });
    if (beat.tasks === undefined) return this.renewAll(workerId);
    if (beat.tasks.length === 0) return { lost: [], cancel: [] };
    const { lost, cancelRequested } = await this.deps.store.leaseRenew({
      now: this.deps.clock.now(),
      workerId,
      leaseMs: this.timing.leaseMs,
      leases: beat.tasks.map((t) => ({ id: t.id, token: t.leaseToken })),
    });
    const gone = new Set(lost);
    const held = beat.tasks.filter((t) => !gone.has(t.id));
    for (const id of await this.attempts.endOverdue(workerId, held)) gone.add(id);
    for (const id of lost)
      this.deps.bus.emit('lease.lost', { taskId: id, type: null, workerId, what: 'heartbeat' });
    return { lost: [...gone], cancel: cancelRequested.filter((id) => !gone.has(id)) };
  }

  /** A heartbeat without a task list: every lease the unit's registration holds is renewed. */
  private async renewAll(workerId: string): Promise<HeartbeatAnswer> {
    const { cancelRequested, held = [] } = await this.deps.store.leaseRenew({
      now: this.deps.clock.now(),
      workerId,
      leaseMs: this.timing.leaseMs,
    });
    const leases = held.map((l) => ({ id: l.id, leaseToken: l.token }));
    const gone = new Set(await this.attempts.endOverdue(workerId, leases));
    return { lost: [...gone], cancel: cancelRequested.filter((id) => !gone.has(id)) };
  }

  /**
   * Claim up to `limit` ready tasks; with none ready, wait up to `waitMs` for one. A client
   * that went away while its claim waited (`signal`) gets nothing, and what was claimed for it
   * goes straight back to the queue without using an attempt.
   */
  async claim(
    workerId: string,
    req: ClaimRequest,
    signal?: AbortSignal,
  ): Promise<ClaimedRemoteTask[]> {
    // Checked before anything is written: a refused claim leaves no heartbeat behind either.
    if (req.types) this.knownTypes(req.types);
    const me = await this.touch(workerId, {});
    const types = req.types ?? me.types;
    const queues = req.queues === undefined ? me.queues : req.queues;
    const limit = Math.min(Math.max(1, Math.floor(req.limit)), MAX_CLAIM);
    const waitMs = Math.min(Math.max(0, req.waitMs), this.timing.maxWaitMs);
    // The wait is the HTTP request's own time budget, so it runs on real time, not the clock.
    const deadline = performance.now() + waitMs;
    for (;;) {
      const now = this.deps.clock.now();
      const claimed = await this.deps.store.taskClaim({
        now,
        workerId,
        limit,
        types,
        queues,
        leaseMs: this.timing.leaseMs,
        // Never more running under its id than it registered, however many claims it sends.
        capacity: me.concurrency,
      });
      if (claimed.length > 0) {
        if (signal?.aborted) {
          await this.attempts.giveBack(workerId, claimed, 'its worker left before the answer');
          return [];
        }
        return claimed.map((c) => this.started(workerId, c));
      }
      const left = deadline - performance.now();
      if (left <= 0 || signal?.aborted) return [];
      const next = await this.deps.store.taskGetNextRunAt({ now, types, queues });
      const untilDue = next === null ? Number.POSITIVE_INFINITY : next - now;
      await this.wakeups.wait(Math.min(left, this.pollMs, Math.max(0, untilDue)), signal);
    }
  }

  progress(workerId: string, taskId: string, report: ProgressReport): Promise<void> {
    return this.attempts.progress(workerId, taskId, report);
  }

  log(workerId: string, taskId: string, report: LogReport): Promise<void> {
    return this.attempts.log(workerId, taskId, report);
  }

  complete(workerId: string, taskId: string, report: CompleteReport): Promise<SettleAnswer> {
    return this.attempts.complete(workerId, taskId, report);
  }

  fail(workerId: string, taskId: string, report: FailReport): Promise<SettleAnswer> {
    return this.attempts.fail(workerId, taskId, report);
  }

  /** Give a task back without using its attempt (the worker is stopping). */
  release(workerId: string, taskId: string, leaseToken: string): Promise<SettleAnswer> {
    return this.attempts.release(workerId, taskId, leaseToken);
  }

  /** Leave the worker list. Tasks still held come back when their leases run out. */
  async deregister(workerId: string): Promise<void> {
    await this.find(workerId);
    await this.deps.store.workerDelete({ id: workerId });
    this.deps.bus.emit('worker.stopped', { workerId });
  }

  /** End every waiting claim now and stop pushing (the server is closing); resolves once the
   * deliveries in flight are answered or timed out. */
  close(): Promise<void> {
    this.wakeups.close();
    return this.push.stop();
  }

  private started(workerId: string, c: ClaimedTask): ClaimedRemoteTask {
    const t = c.task;
    const def = this.deps.definitions.get(t.type);
    emitClaimed(this.deps.bus, workerId, c, this.deps.clock.now());
    return {
      id: t.id,
      type: t.type,
      queue: t.queue,
      priority: t.priority,
      input: t.input,
      attempt: t.attempt,
      maxAttempts: t.maxAttempts,
      leaseToken: c.leaseToken,
      leaseExpiresAt: t.leaseExpiresAt ?? new Date(this.deps.clock.now() + this.timing.leaseMs),
      timeout: def ? timeoutFor(def, t) : { ...t.timeout },
    };
  }

  private knownTypes(types: readonly string[]): void {
    if (types.length === 0) {
      throw new ValidationError('OPTIONS_INVALID', 'Name at least one task type to run.', [
        { path: 'types', message: 'expected at least one task type' },
      ]);
    }
    for (const type of types) {
      if (!this.deps.definitions.has(type)) {
        throw new UnknownTaskTypeError(type, [...this.deps.definitions.keys()]);
      }
    }
  }

  private async find(workerId: string): Promise<WorkerInfo> {
    const workers = await this.deps.store.workerList({
      now: this.deps.clock.now(),
      offlineAfterMs: OFFLINE_AFTER_MS,
    });
    const me = workers.find((w) => w.id === workerId);
    if (!me) throw new WorkerNotFoundError(workerId);
    return me;
  }

  /** The worker's row, with its heartbeat (and load) brought up to now. */
  private async touch(
    workerId: string,
    update: {
      load?: number | undefined;
      rssBytes?: number | undefined;
      metadata?: Record<string, unknown> | undefined;
    },
  ): Promise<WorkerInfo> {
    const me = await this.find(workerId);
    await this.deps.store.workerUpsert({
      now: this.deps.clock.now(),
      worker: {
        id: me.id,
        name: me.name,
        host: me.host,
        pid: me.pid,
        concurrency: me.concurrency,
        types: me.types,
        queues: me.queues,
        version: me.version,
        load: update.load ?? me.load,
        rssBytes: update.rssBytes ?? me.rssBytes,
        state: 'online',
        unitType: me.unitType,
        endpoint: me.endpoint,
        metadata: update.metadata ?? me.metadata,
      },
    });
    return me;
  }
}
