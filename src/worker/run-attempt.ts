import { performance } from 'node:perf_hooks';
import {
  type AnyTaskDefinition,
  parseInput,
  parseOutput,
  timeoutFor,
} from '../core/define-task.ts';
import { LeaseLostError, TaskmillError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { ClaimedTask, Settlement, SettleResult } from '../store/contract.ts';
import { type AbortKind, type AttemptEnd, settlementFor } from './attempt-outcome.ts';
import { blockWarning, type Executors } from './executors/executors.ts';
import type { MemorySampler } from './memory-sampler.ts';
import type { SettleBatcher } from './settle-batcher.ts';
import { emitSettled } from './status-events.ts';
import type { StepPreparer } from './step-plan.ts';
import { type ContextDeps, createTaskContext } from './task-context.ts';

export interface AttemptDeps extends ContextDeps {
  bus: EventBus;
  batcher: SettleBatcher;
  memory: MemorySampler;
  executors: Executors;
  workerId: string;
  leaseMs: number;
  /** A database failure, reported once per outage by the worker. */
  onStoreError(error: unknown): void;
  /** Builds a pipeline step's input before its handler runs; absent: no pipelines here. */
  steps?: StepPreparer | undefined;
}

function abortError(kind: AbortKind, taskId: string): Error {
  switch (kind) {
    case 'cancel':
      return new TaskmillError('TASK_CANCELLED', `Task ${taskId} was cancelled.`);
    case 'timeout':
      return new TaskmillError('TASK_TIMED_OUT', `Task ${taskId} passed its hard timeout.`);
    case 'shutdown':
      return new TaskmillError(
        'WORKER_SHUTDOWN',
        `The worker running task ${taskId} is shutting down.`,
      );
    case 'lease_lost':
      return new LeaseLostError(taskId, 'attempt');
  }
}

/**
 * One attempt of one claimed task: run the handler with its context, watch the soft and hard
 * timeouts, and settle the outcome. An abort (cancel, hard timeout, shutdown, lost lease) ends
 * the attempt at once. A thread or process handler that ignores its signal is killed after the
 * pool's grace; an inline handler cannot be killed, so one that ignores its signal runs
 * on, but the lease is already gone and every write it makes is refused.
 */
export class RunningAttempt {
  readonly claimed: ClaimedTask;
  /** Resolves when the attempt is settled (or dropped because its lease is gone), with the time
   * of the next attempt when it was settled as `retrying`. */
  readonly done: Promise<number | null>;
  /** The handler returned, threw or was abandoned at an abort; its slot is free. */
  handlerEnded = false;
  /** The store has the outcome (or refused it, or it could not be written in time). */
  settled = false;
  private readonly controller = new AbortController();
  private abortKind: AbortKind | null = null;
  private wakeAbort: (() => void) | null = null;
  private warnBlock: ((ms: number) => void) | null = null;

  constructor(
    claimed: ClaimedTask,
    def: AnyTaskDefinition,
    deps: AttemptDeps,
    onHandlerEnd: () => void,
  ) {
    this.claimed = claimed;
    this.done = this.run(def, deps, onHandlerEnd);
  }

  get taskId(): string {
    return this.claimed.task.id;
  }

  get aborted(): AbortKind | null {
    return this.abortKind;
  }

  /** The event loop was blocked while this attempt's inline handler ran; warned once. */
  blocked(ms: number): void {
    const warn = this.warnBlock;
    this.warnBlock = null;
    warn?.(ms);
  }

  abort(kind: AbortKind): void {
    if (this.abortKind) return;
    this.abortKind = kind;
    this.controller.abort(abortError(kind, this.taskId));
    this.wakeAbort?.();
  }

  private async run(
    def: AnyTaskDefinition,
    deps: AttemptDeps,
    onHandlerEnd: () => void,
  ): Promise<number | null> {
    const { task, leaseToken } = this.claimed;
    const metrics: Record<string, number> = {};
    const stopTracking = deps.memory.track();
    const started = performance.now();
    const ctx = createTaskContext(
      deps,
      {
        id: task.id,
        type: task.type,
        queue: task.queue,
        priority: task.priority,
        attempt: task.attempt,
        maxAttempts: task.maxAttempts,
      },
      { token: leaseToken, signal: this.controller.signal },
      metrics,
    );
    let timers: NodeJS.Timeout[] = [];
    if (def.executor === 'inline') {
      this.warnBlock = (ms) => ctx.log.warn(blockWarning(def.name, ms));
    }
    const aborted = new Promise<AttemptEnd>((resolve) => {
      this.wakeAbort = () => resolve({ kind: 'aborted', abort: this.abortKind ?? 'cancel' });
      if (this.abortKind) this.wakeAbort();
    });
    let effective = def;
    const handled = (async (): Promise<AttemptEnd> => {
      try {
        let input: unknown;
        if (task.pipeline !== null && deps.steps !== undefined) {
          const plan = await deps.steps.prepare(this.claimed);
          if (plan.kind !== 'run') return { kind: 'step', plan };
          input = plan.parsed ? plan.input : parseInput(def, plan.input);
          if (plan.retry !== undefined) effective = { ...def, retry: plan.retry };
        } else {
          input = parseInput(def, task.input);
        }
        const output = await deps.executors.run({
          def,
          input,
          ctx,
          token: leaseToken,
          abort: this.controller.signal,
          metrics,
          onStart: () => {
            timers = this.startTimers(def, deps, ctx.log.warn);
          },
          onBlocked: (ms) => this.blocked(ms),
        });
        return { kind: 'returned', output: parseOutput(def, output) };
      } catch (error) {
        return { kind: 'threw', error };
      }
    })();
    let end = await Promise.race([handled, aborted]);
    // A handler that rejects because of the abort reports the abort, not its own error.
    if (end.kind === 'threw' && this.abortKind) end = { kind: 'aborted', abort: this.abortKind };
    for (const t of timers) clearTimeout(t);
    this.wakeAbort = null;
    this.warnBlock = null;
    this.handlerEnded = true;
    // Microseconds: finer digits are timer noise, and they printed as 623.4543396000001.
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const item = settlementFor(
      effective,
      task,
      leaseToken,
      end,
      { ...metrics, durationMs, peakRssBytes: stopTracking() },
      deps.now(),
    );
    if (!item) {
      deps.buffer.drop(task.id);
      this.settled = true;
      onHandlerEnd();
      if (end.kind === 'step' && end.plan.kind === 'expanded') {
        this.stepExpanded(deps, durationMs);
      }
      return null;
    }
    if (task.pipeline !== null) item.runId = task.pipeline.runId;
    if (deps.buffer.hasPending(task.id)) await deps.buffer.flush();
    // Free the slot only now, in the same turn as the settlement reaches the batcher: the claim
    // that fills the slot carries it along, and no next task starts (and may kill the process)
    // before this one's result is on its way.
    onHandlerEnd();
    const result = await this.settleWithRetry(item, deps);
    this.settled = true;
    if (result === null) return null;
    if (!result.ok) {
      deps.bus.emit('lease.lost', {
        taskId: task.id,
        type: task.type,
        workerId: deps.workerId,
        what: 'result',
      });
      return null;
    }
    emitSettled(deps.bus, {
      task,
      from: result.from,
      to: result.to,
      reason: item.reason,
      workerId: deps.workerId,
      now: deps.now(),
      durationMs,
    });
    if (task.pipeline !== null)
      deps.steps?.settled?.(this.claimed, result.to, durationMs, result.runEnded);
    return item.to === 'retrying' ? (item.runAt ?? null) : null;
  }

  /** A map step fanned out: it waits (pending) for its items. */
  private stepExpanded(deps: AttemptDeps, durationMs: number): void {
    const { task } = this.claimed;
    emitSettled(deps.bus, {
      task,
      from: 'running',
      to: 'pending',
      reason: 'fanned out into its items',
      workerId: deps.workerId,
      now: deps.now(),
    });
    deps.steps?.settled?.(this.claimed, 'pending', durationMs, undefined);
  }

  /**
   * A settle that fails (the database is restarting) is tried again while the lease can still
   * hold, so a finished task is not run a second time for want of its result. The heartbeat
   * keeps renewing the lease meanwhile; once it is gone the store refuses the settle (fencing)
   * and a sweeper gives the task to another worker.
   */
  private async settleWithRetry(item: Settlement, deps: AttemptDeps): Promise<SettleResult | null> {
    const deadline = deps.now() + deps.leaseMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await deps.batcher.settle(item);
      } catch (error) {
        deps.onStoreError(error);
        if (deps.now() + delay >= deadline) return null;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private startTimers(
    def: AnyTaskDefinition,
    deps: AttemptDeps,
    warn: (m: string) => void,
  ): NodeJS.Timeout[] {
    const timers: NodeJS.Timeout[] = [];
    const { task } = this.claimed;
    const { softMs, hardMs } = timeoutFor(def, task);
    if (softMs !== undefined) {
      timers.push(
        setTimeout(() => {
          warn(`Passed its soft timeout of ${softMs} ms; still running.`);
          deps.bus.emit('task.soft_timeout', {
            taskId: task.id,
            type: task.type,
            attempt: task.attempt,
            softMs,
            at: new Date(deps.now()),
          });
        }, softMs),
      );
    }
    if (hardMs !== undefined) timers.push(setTimeout(() => this.abort('timeout'), hardMs));
    return timers;
  }
}
