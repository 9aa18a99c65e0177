import { performance } from 'node:perf_hooks';
import type { TaskContext } from '../../core/context.ts';
import type { AnyTaskDefinition } from '../../core/define-task.ts';
import { TaskmillError } from '../../core/errors.ts';
import { runInTaskContext } from '../current-task.ts';
import { type ContextDeps, recordArtifact } from '../task-context.ts';
import { BlockMonitor } from './block-monitor.ts';
import type { MemberKind } from './crash-cause.ts';
import { uncrossError } from './crossed-error.ts';
import { MemberPool, type PoolSnapshot } from './member-pool.ts';
import { type ExecutorOptions, resolvePoolOptions } from './options.ts';
import type { MemberEvent } from './protocol.ts';

/** One attempt's handler call, wherever it runs. */
export interface HandlerCall {
  def: AnyTaskDefinition;
  /** Parsed against the input schema. */
  input: unknown;
  ctx: TaskContext;
  token: string;
  /** Aborts on cancel, hard timeout, shutdown or a lost lease. */
  abort: AbortSignal;
  metrics: Record<string, number>;
  /** The handler starts now (a pooled task may first wait for a free thread or process). */
  onStart(): void;
  /** An inline handler blocked the event loop for `ms`. */
  onBlocked(ms: number): void;
}

export function blockWarning(type: string, ms: number): string {
  return `Blocked the worker's event loop for ${Math.round(ms)} ms (task type "${type}"): heartbeats and other tasks waited meanwhile. Run CPU-bound work with executor: "thread" or "process".`;
}

/**
 * Runs handlers where their task type says: `inline` on this event loop, `thread` and `process`
 * in pools started on first use. Returns the handler's output or throws its error.
 */
export class Executors {
  private readonly options: ExecutorOptions;
  private readonly deps: Pick<ContextDeps, 'store' | 'now' | 'dataDir'>;
  private readonly pools = new Map<MemberKind, MemberPool>();
  /** The end of the last block already blamed on one inline handler. */
  private explainedUntil = 0;
  private readonly monitor: BlockMonitor;

  /**
   * `onBlocked` hears of blocks found between handler segments, which cannot be pinned on one
   * handler: the worker passes them to every inline attempt that was running.
   */
  constructor(
    options: ExecutorOptions,
    deps: Pick<ContextDeps, 'store' | 'now' | 'dataDir'>,
    onBlocked: (ms: number) => void = () => undefined,
  ) {
    this.options = options;
    this.deps = deps;
    this.monitor = new BlockMonitor(this.blockWarnMs, (ms, since) => {
      if (this.explainedUntil < since) onBlocked(ms);
    });
  }

  start(): void {
    this.monitor.start();
  }

  get blockWarnMs(): number {
    return this.options.blockWarnMs ?? 500;
  }

  run(call: HandlerCall): Promise<unknown> {
    const kind = call.def.executor;
    if (kind === 'inline' || kind === 'remote') return this.inline(call);
    return this.pooled(this.pool(kind), call);
  }

  snapshot(): PoolSnapshot[] {
    return [...this.pools.values()].map((p) => p.snapshot());
  }

  async close(): Promise<void> {
    this.monitor.stop();
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }

  private pool(kind: MemberKind): MemberPool {
    let pool = this.pools.get(kind);
    if (!pool) {
      pool = new MemberPool(kind, resolvePoolOptions(this.options[kind]));
      this.pools.set(kind, pool);
    }
    return pool;
  }

  private async inline(call: HandlerCall): Promise<unknown> {
    call.onStart();
    const started = performance.now();
    // The part before the handler's first await runs here, in one piece: timed exactly.
    const result = runInTaskContext(call.ctx, () => call.def.run(call.input, call.ctx));
    this.blame(call, performance.now() - started);
    const output = await result;
    // The handler's last part ran in this same turn, since the monitor last ticked.
    this.blame(call, this.monitor.lateness());
    return output;
  }

  private blame(call: HandlerCall, ms: number): void {
    if (this.blockWarnMs <= 0 || ms < this.blockWarnMs) return;
    this.explainedUntil = performance.now();
    call.onBlocked(ms);
  }

  private async pooled(pool: MemberPool, call: HandlerCall): Promise<unknown> {
    const { def, ctx, metrics } = call;
    const stored: Promise<unknown>[] = [];
    let artifactError: unknown = null;
    const onEvent = (event: MemberEvent): void => {
      switch (event.t) {
        case 'start':
          metrics['executorPid'] = event.pid;
          if (pool.kind === 'thread') metrics['executorThreadId'] = event.threadId;
          call.onStart();
          return;
        case 'progress':
          ctx.progress(event.percent, event.message ?? undefined);
          return;
        case 'log':
          ctx.log[event.level](event.message);
          return;
        case 'metric':
          ctx.metric(event.name, event.value);
          return;
        case 'artifact':
          stored.push(
            recordArtifact(this.deps, call.token, event.file).catch((error: unknown) => {
              artifactError ??= error;
            }),
          );
          return;
        case 'crash':
          return;
      }
    };
    const job = { module: def.module ?? '', type: def.name, input: call.input, task: ctx.task };
    const outcome = await pool.run({ ...job, dataDir: this.deps.dataDir }, onEvent, call.abort);
    await Promise.all(stored);
    if (outcome.kind === 'stopped') throw call.abort.reason ?? new Error('stopped');
    if (outcome.kind === 'crashed') {
      const where = pool.kind === 'thread' ? 'thread' : 'process';
      throw new TaskmillError(
        'EXECUTOR_CRASHED',
        `The ${where} running task ${ctx.task.id} (type "${def.name}") ${outcome.cause}.`,
        { details: { executor: pool.kind, pid: metrics['executorPid'] ?? null } },
      );
    }
    if (artifactError) throw artifactError;
    const { reply } = outcome;
    if (pool.kind === 'process') metrics['executorRssBytes'] = reply.memory.rssBytes;
    if (!reply.ok) throw uncrossError(reply.error);
    return reply.output;
  }
}
