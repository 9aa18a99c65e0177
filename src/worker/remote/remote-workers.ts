import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { timeoutFor, validateQueueName } from '../../core/define-task.ts';
import { UnknownTaskTypeError, ValidationError, WorkerNotFoundError } from '../../core/errors.ts';
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
import { RemoteAttempts, type RemoteWorkersDeps } from './remote-attempts.ts';
import { Wakeups } from './wakeups.ts';
import { newWorkerSecret } from './worker-secret.ts';

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
}

/** What `remoteWorkers` takes (and `startServer`'s `remoteWorkers`). */
export const REMOTE_WORKERS_SPEC: OptionSpec = optionSpec<RemoteWorkersOptions>({
  leaseMs: is.ms(1),
  heartbeatMs: is.ms(1),
  maxWaitMs: is.ms(0),
  pollMs: is.ms(1),
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
  }

  /** The answer carries the worker's secret: every later call for its id must send it. */
  async register(reg: RemoteRegistration): Promise<RemoteRegistered> {
    this.knownTypes(reg.types);
    for (const [i, q] of (reg.queues ?? []).entries()) validateQueueName(q, `queues.${i}`);
    const { workerId, secret } = newWorkerSecret();
    await this.deps.store.workerUpsert({
      now: this.deps.clock.now(),
      worker: {
        id: workerId,
        name: reg.name,
        host: reg.host ?? hostname(),
        pid: reg.pid ?? 0,
        concurrency: reg.concurrency,
        types: [...reg.types],
        queues: reg.queues && reg.queues.length > 0 ? [...reg.queues] : null,
        version: reg.version ?? 'remote',
        load: 0,
        rssBytes: 0,
        state: 'online',
      },
    });
    this.deps.bus.emit('worker.started', { workerId, concurrency: reg.concurrency });
    return { workerId, workerSecret: secret, ...this.timing };
  }

  /** Record that the worker lives, renew the leases it holds, and say which to stop. */
  async heartbeat(workerId: string, beat: RemoteHeartbeat): Promise<HeartbeatAnswer> {
    await this.touch(workerId, { load: beat.load, rssBytes: beat.rssBytes });
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

  /** End every waiting claim now (the server is closing). */
  close(): void {
    this.wakeups.close();
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
    update: { load?: number; rssBytes?: number | undefined },
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
      },
    });
    return me;
  }
}
