import type { Clock } from '../../core/clock.ts';
import type { AnyTaskDefinition } from '../../core/define-task.ts';
import { parseOutput, timeoutFor } from '../../core/define-task.ts';
import { LeaseLostError, TaskmillError, TaskNotFoundError } from '../../core/errors.ts';
import type { EventBus } from '../../core/event-bus.ts';
import type { ExecutionMetrics, Task } from '../../core/task.ts';
import type { ClaimedTask, Settlement, Store } from '../../store/contract.ts';
import { type AttemptEnd, settlementFor } from '../attempt-outcome.ts';
import { emitSettled } from '../status-events.ts';
import type { FailReport, HeldLease, LogReport, ProgressReport, SettleAnswer } from './protocol.ts';

export interface RemoteWorkersDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  definitions: ReadonlyMap<string, AnyTaskDefinition>;
  /** Silent this long, a worker is offline (listed so, and its chosen id may be taken over).
   * Default 30 s, as the worker list. */
  workerTimeoutMs?: number;
}

/** An error a remote worker reported, shaped so the retry policy reads it as a handler's own. */
class ReportedError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(report: FailReport['error']) {
    super(report.message);
    this.name = 'RemoteError';
    this.code = report.code ?? 'HANDLER_ERROR';
    this.retryable = report.retryable !== false;
    if (report.stack !== undefined) this.stack = report.stack;
  }
}

/**
 * What a remote worker writes for the attempts it holds. Every write carries the attempt's lease
 * token and is refused (`LEASE_LOST`) once the lease is gone; the outcome is decided exactly as
 * for an in-process attempt (`settlementFor`: output schema, retry policy, cancel).
 */
export class RemoteAttempts {
  private readonly deps: RemoteWorkersDeps;

  constructor(deps: RemoteWorkersDeps) {
    this.deps = deps;
  }

  async progress(workerId: string, taskId: string, report: ProgressReport): Promise<void> {
    const task = await this.running(taskId, 'progress');
    const message = report.message ?? null;
    const { lost } = await this.deps.store.taskSetProgress({
      now: this.deps.clock.now(),
      items: [{ id: taskId, token: report.leaseToken, percent: report.percent, message }],
    });
    if (lost.length > 0) this.refused(taskId, workerId, 'progress');
    this.deps.bus.emit('task.progress', {
      taskId,
      type: task.type,
      percent: report.percent,
      message,
      at: new Date(this.deps.clock.now()),
    });
  }

  async log(workerId: string, taskId: string, report: LogReport): Promise<void> {
    const task = await this.running(taskId, 'log');
    const { lost } = await this.deps.store.logInsert({
      now: this.deps.clock.now(),
      items: report.lines.map((l) => ({
        taskId,
        token: report.leaseToken,
        attempt: task.attempt,
        level: l.level,
        message: l.message,
      })),
    });
    if (lost.length > 0) this.refused(taskId, workerId, 'log');
    const at = new Date(this.deps.clock.now());
    for (const l of report.lines) {
      this.deps.bus.emit('task.log', {
        taskId,
        type: task.type,
        attempt: task.attempt,
        level: l.level,
        message: l.message,
        at,
      });
    }
  }

  async complete(
    workerId: string,
    taskId: string,
    report: { leaseToken: string; output?: unknown; metrics?: Record<string, number> },
  ): Promise<SettleAnswer> {
    const task = await this.running(taskId, 'result');
    const def = this.deps.definitions.get(task.type);
    let end: AttemptEnd;
    try {
      // Checked as an in-process handler's return is: an output that breaks the schema fails.
      end = { kind: 'returned', output: def ? parseOutput(def, report.output ?? null) : null };
    } catch (error) {
      end = { kind: 'threw', error };
    }
    return this.settle(workerId, task, report.leaseToken, end, report.metrics);
  }

  async fail(workerId: string, taskId: string, report: FailReport): Promise<SettleAnswer> {
    const task = await this.running(taskId, 'result');
    // A worker that stops because it was told the task was cancelled ends it cancelled.
    const end: AttemptEnd = task.cancelRequested
      ? { kind: 'aborted', abort: 'cancel' }
      : { kind: 'threw', error: new ReportedError(report.error) };
    return this.settle(workerId, task, report.leaseToken, end, report.metrics);
  }

  async release(workerId: string, taskId: string, leaseToken: string): Promise<SettleAnswer> {
    const task = await this.running(taskId, 'release');
    const end: AttemptEnd = { kind: 'aborted', abort: 'shutdown' };
    return this.settle(workerId, task, leaseToken, end, undefined);
  }

  /** Claimed for a client that is gone: back to the queue, the attempt not counted. */
  async giveBack(workerId: string, claimed: ClaimedTask[], reason: string): Promise<void> {
    await this.deps.store.taskSettle({
      now: this.deps.clock.now(),
      workerId,
      items: claimed.map((c) => ({
        id: c.task.id,
        token: c.leaseToken,
        to: 'queued',
        outcome: 'released',
        reason,
        refundAttempt: true,
        metrics: { durationMs: 0, peakRssBytes: 0 },
      })),
    });
  }

  /**
   * The held tasks past their hard timeout (the task's own or its type's) end `timed_out` (or
   * retrying) here, since a remote worker cannot be made to stop; returns their ids, which the
   * worker must drop. Each held task is read, since any of them may carry a timeout of its own.
   */
  async endOverdue(workerId: string, held: HeldLease[]): Promise<string[]> {
    const ended: string[] = [];
    const now = this.deps.clock.now();
    for (const lease of held) {
      const task = await this.deps.store.taskGet({ id: lease.id });
      const def = task ? this.deps.definitions.get(task.type) : undefined;
      if (!task || !def || task.status !== 'running' || !task.startedAt) continue;
      const { hardMs } = timeoutFor(def, task);
      if (hardMs === undefined || now - task.startedAt.getTime() <= hardMs) continue;
      const end: AttemptEnd = { kind: 'aborted', abort: 'timeout' };
      const answer = await this.settle(workerId, task, lease.leaseToken, end, undefined).catch(
        (error: unknown) => {
          if (error instanceof TaskmillError && error.code === 'LEASE_LOST') return null;
          throw error;
        },
      );
      if (answer) ended.push(task.id);
    }
    return ended;
  }

  private async settle(
    workerId: string,
    task: Task,
    token: string,
    end: AttemptEnd,
    reported: Record<string, number> | undefined,
  ): Promise<SettleAnswer> {
    const def = this.deps.definitions.get(task.type);
    const now = this.deps.clock.now();
    const durationMs = task.startedAt ? Math.max(0, now - task.startedAt.getTime()) : 0;
    const metrics: ExecutionMetrics = { peakRssBytes: 0, ...reported, durationMs };
    const item: Settlement | null = def ? settlementFor(def, task, token, end, metrics, now) : null;
    if (!item) throw new LeaseLostError(task.id, 'result');
    const [result] = await this.deps.store.taskSettle({ now, workerId, items: [item] });
    if (!result?.ok) return this.refused(task.id, workerId, 'result');
    emitSettled(this.deps.bus, {
      task,
      from: result.from,
      to: result.to,
      reason: item.reason,
      workerId,
      now,
      durationMs,
    });
    return {
      status: result.to,
      runAt: item.to === 'retrying' && item.runAt !== undefined ? new Date(item.runAt) : null,
      error: item.error ?? null,
    };
  }

  /** The task as the store has it, to decide the outcome from; the store checks the lease token
   * itself on every write. */
  private async running(taskId: string, what: string): Promise<Task> {
    const task = await this.deps.store.taskGet({ id: taskId });
    if (!task) throw new TaskNotFoundError(taskId);
    if (task.status !== 'running') throw new LeaseLostError(taskId, what);
    return task;
  }

  private refused(taskId: string, workerId: string, what: string): never {
    this.deps.bus.emit('lease.lost', { taskId, type: null, workerId, what });
    throw new LeaseLostError(taskId, what);
  }
}
