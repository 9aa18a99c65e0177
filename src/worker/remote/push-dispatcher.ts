/**
 * Push dispatch: the server claims tasks for each unit that registered an `endpoint` and POSTs
 * them there, one task per delivery, signed with the unit's push secret (push-signature.ts). The
 * unit then works exactly as a pulling one does: it heartbeats, reports progress and logs, and
 * completes, fails or releases each task under its lease token through the worker API, so
 * timeouts, fencing and failover are the same for both.
 *
 * Modes of the loop:
 * - a round lists the online push units and plans its claims with the balancing strategy
 *   (balancing.ts: how many tasks each unit not backing off may take, in which order, from what
 *   each holds now: unit-holdings.ts); it claims step by step (the store caps each claim at the
 *   unit's capacity minus what runs under its id), delivering what each claim got at once, and
 *   drops a unit's later steps once one of its claims comes back short;
 * - a task that becomes ready or leaves a unit's hands (a free slot) during a round starts the
 *   next round at once; otherwise the loop waits for a wake-up (a task became ready, a unit
 *   registered or freed a slot) or `pollMs`; with no push unit known, up to five times as long,
 *   so a server without any pays little;
 * - a delivery that fails (network, timeout, an answer other than 2xx) gives its task back at
 *   once, its attempt not counted, and the unit backs off (1 s, doubling up to 30 s) so a dead
 *   endpoint does not churn the queue; the first delivery that succeeds ends the back-off.
 * Every unit's last result is kept for `/health/ready` (`endpoints`).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { is, type ValueRule, valueRule } from '../../core/options-check.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';
import type { ClaimedTask } from '../../store/contract.ts';
import {
  BALANCING_STRATEGIES,
  type BalancingStrategy,
  DEFAULT_BALANCING_STRATEGY,
  isBalancingStrategy,
  planRound,
} from './balancing.ts';
import type { ClaimedRemoteTask } from './protocol.ts';
import { PUSH_SIGNATURE_HEADER, signPush } from './push-signature.ts';
import type { RemoteWorkersDeps } from './remote-attempts.ts';
import { UnitHoldings } from './unit-holdings.ts';
import { Wakeups } from './wakeups.ts';

/** A push unit's endpoint as the last delivery to it found it. */
export interface EndpointHealth {
  workerId: string;
  endpoint: string;
  state: 'up' | 'down';
  /** How long the last delivery took, to its answer or its failure. */
  latencyMs: number | null;
  at: Date;
  detail: string | null;
}

/** The header that names a delivery (also in its body): a unit refuses one it has seen. */
export const PUSH_DELIVERY_HEADER = 'taskmill-delivery';

/** What one delivery carries: the task as a claim answers it, and who it is for. */
export interface PushDelivery {
  deliveryId: string;
  workerId: string;
  task: ClaimedRemoteTask;
}

export interface PushDispatcherOptions {
  leaseMs: number;
  pollMs: number;
  /** How long a unit has to answer a delivery. */
  deliveryTimeoutMs: number;
  /** How a round shares the ready tasks among the units (balancing.ts). */
  strategy: BalancingStrategy;
  /** The claimed task as the protocol shows it (and the claim's events). */
  started(workerId: string, claimed: ClaimedTask): ClaimedRemoteTask;
  /** Back to the queue, the attempt not counted. */
  giveBack(workerId: string, claimed: ClaimedTask[], reason: string): Promise<void>;
}

/** How to push, for `remoteWorkers.push` (which may also be true or false). */
export interface PushOptions {
  /** How each round shares the ready tasks among the push units. Default `least-loaded`. */
  strategy?: BalancingStrategy;
}

const STRATEGY_NAMES = BALANCING_STRATEGIES.map((s) => JSON.stringify(s)).join(', ');

/** `remoteWorkers.push`: true, false or `{ strategy }`, refused otherwise with the strategies. */
export const PUSH_OPTION_RULE: ValueRule = valueRule(
  `true, false or { strategy } with strategy one of ${STRATEGY_NAMES}`,
  (v) =>
    is.boolean.test(v) ||
    (is.object.test(v) &&
      Object.entries(v as object).every(
        ([key, value]) => key === 'strategy' && (value === undefined || isBalancingStrategy(value)),
      )),
);

/** The strategy `remoteWorkers.push` asks for. */
export function pushStrategyOf(push: boolean | PushOptions | undefined): BalancingStrategy {
  return typeof push === 'object'
    ? (push.strategy ?? DEFAULT_BALANCING_STRATEGY)
    : DEFAULT_BALANCING_STRATEGY;
}

const BACKOFF_FIRST_MS = 1_000;
const RECONCILE_MAX_MS = 5_000;
const BACKOFF_MAX_MS = 30_000;

export class PushDispatcher {
  private readonly deps: RemoteWorkersDeps;
  private readonly options: PushDispatcherOptions;
  private readonly wakeups: Wakeups;
  private readonly health = new Map<string, EndpointHealth>();
  private readonly backoff = new Map<string, { failures: number; until: number }>();
  /** Each unit's push secret, for the registration it was read for (`startedAt`). */
  private readonly secrets = new Map<string, { startedAt: number; secret: string | null }>();
  private readonly holdings: UnitHoldings;
  private readonly offQueued: () => void;
  /** Something a round may act on happened while one ran: the next starts at once. */
  private again = false;
  /** Where the next round's order of units starts (balancing.ts). */
  private turn = 0;
  private reconciledAt = Number.NEGATIVE_INFINITY;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | null = null;
  private stopped = false;
  /** A round that failed as a whole (the store is down): the loop goes on. */
  onError: ((error: unknown) => void) | null = null;

  constructor(deps: RemoteWorkersDeps, options: PushDispatcherOptions) {
    this.deps = deps;
    this.options = options;
    this.wakeups = new Wakeups(deps.bus, deps.store);
    this.holdings = new UnitHoldings(deps.bus, deps.store, () => this.poke());
    this.offQueued = deps.bus.on('task.status', (e) => {
      if (e.to === 'queued') this.poke();
    });
  }

  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run();
  }

  /** Look now (a unit registered): no need to wait for the poll. */
  wake(): void {
    this.wakeups.wake();
  }

  /** Ends the loop after the round in flight; resolves once every delivery is answered or
   * timed out. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.holdings.close();
    this.offQueued();
    this.wakeups.close();
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** A delivery goes on after its round: a slow endpoint holds up only its own tasks. */
  private track(delivery: Promise<void>): void {
    const tracked = delivery.catch((error: unknown) => this.onError?.(error));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  endpoints(): EndpointHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.again = false;
      let units = 0;
      try {
        units = await this.round();
      } catch (error) {
        this.onError?.(error);
      }
      if (this.stopped) return;
      if (this.again && units > 0) continue;
      await this.wakeups.wait(units > 0 ? this.options.pollMs : 5 * this.options.pollMs);
    }
  }

  private poke(): void {
    this.again = true;
    this.wakeups.wake();
  }

  private backingOff(unitId: string): boolean {
    return (this.backoff.get(unitId)?.until ?? 0) > performance.now();
  }

  /** One round over every online push unit; returns how many there are. */
  private async round(): Promise<number> {
    const now = this.deps.clock.now();
    const units = (
      await this.deps.store.workerList({
        now,
        offlineAfterMs: this.deps.workerTimeoutMs ?? 30_000,
      })
    ).filter((w) => w.endpoint !== null && w.state === 'online');
    const ids = new Set(units.map((u) => u.id));
    for (const id of this.health.keys()) if (!ids.has(id)) this.health.delete(id);
    for (const id of this.secrets.keys()) if (!ids.has(id)) this.secrets.delete(id);
    this.holdings.keepOnly(ids);
    // A count that missed its task's settlement (another process on SQLite) would keep a
    // unit looking full: the old ones are read again now and then.
    const every = Math.min(this.options.leaseMs, RECONCILE_MAX_MS);
    if (now - this.reconciledAt >= every) {
      this.reconciledAt = now;
      await this.holdings.reconcile(now - every);
    }
    const due = new Map(units.filter((u) => !this.backingOff(u.id)).map((u) => [u.id, u]));
    const plan = planRound(
      this.options.strategy,
      [...due.values()].map((u) => ({
        id: u.id,
        unitType: u.unitType,
        capacity: u.concurrency,
        held: this.holdings.held(u.id),
        types: u.types,
        queues: u.queues,
      })),
      this.turn,
    );
    const finished = new Set<string>();
    for (const step of plan) {
      const unit = due.get(step.unitId);
      if (this.stopped || !unit || finished.has(unit.id)) continue;
      const secret = this.backingOff(unit.id) ? null : await this.secretOf(unit);
      if (secret === null) {
        finished.add(unit.id);
        continue;
      }
      // Every claim of a round as of its start: what the plan was made for.
      const claimed = await this.deps.store.taskClaim({
        now,
        workerId: unit.id,
        limit: step.limit,
        types: step.types,
        queues: step.queues,
        leaseMs: this.options.leaseMs,
        capacity: unit.concurrency,
      });
      // Short: nothing more is ready for it, or it is full whatever this process counted.
      if (claimed.length < step.limit) finished.add(unit.id);
      // The next round's order starts past the units served: one task per round cycles
      // through them all.
      this.turn += claimed.length;
      for (const c of claimed) this.track(this.deliver(unit, secret, c));
    }
    return units.length;
  }

  /** The unit's push secret, read once per registration. */
  private async secretOf(unit: WorkerInfo): Promise<string | null> {
    const startedAt = unit.startedAt.getTime();
    const known = this.secrets.get(unit.id);
    if (known?.startedAt === startedAt) return known.secret;
    const stored = await this.deps.store.workerGetSecrets({ id: unit.id });
    const secret = stored?.pushSecret ?? null;
    this.secrets.set(unit.id, { startedAt, secret });
    return secret;
  }

  private async deliver(unit: WorkerInfo, secret: string, claimed: ClaimedTask): Promise<void> {
    const endpoint = unit.endpoint as string;
    const delivery: PushDelivery = {
      deliveryId: randomUUID(),
      workerId: unit.id,
      task: this.options.started(unit.id, claimed),
    };
    const body = JSON.stringify(delivery);
    const start = performance.now();
    let failure: string | null = null;
    try {
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PUSH_SIGNATURE_HEADER]: signPush(secret, body, this.deps.clock.now()),
          [PUSH_DELIVERY_HEADER]: delivery.deliveryId,
        },
        body,
        signal: AbortSignal.timeout(this.options.deliveryTimeoutMs),
      });
      // The answer's body is not read: drop it so the connection can be reused.
      await answer.body?.cancel();
      if (!answer.ok) failure = `answered HTTP ${answer.status}`;
    } catch (error) {
      failure =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.options.deliveryTimeoutMs} ms`
          : `unreachable: ${error instanceof Error ? (error.cause ?? error).toString() : String(error)}`;
    }
    const latencyMs = Math.round((performance.now() - start) * 100) / 100;
    const at = new Date(this.deps.clock.now());
    this.health.set(unit.id, {
      workerId: unit.id,
      endpoint,
      state: failure === null ? 'up' : 'down',
      latencyMs,
      at,
      detail: failure,
    });
    if (failure === null) {
      this.backoff.delete(unit.id);
      return;
    }
    const failures = (this.backoff.get(unit.id)?.failures ?? 0) + 1;
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (failures - 1));
    this.backoff.set(unit.id, { failures, until: performance.now() + wait });
    await this.options.giveBack(unit.id, [claimed], `push delivery failed: ${failure}`);
    this.holdings.forget(claimed.task.id);
  }
}
