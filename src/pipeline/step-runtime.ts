/**
 * What a worker does with a claimed pipeline step before its handler would run (the worker's
 * StepPreparer): read the run's input and the parents' stored outputs, then skip, reuse a cached
 * output, gather a map step's items, fan a map step out, or build the input and run the task.
 * The definition's functions run here, in the worker, never inside a store transaction.
 */
import { createHash } from 'node:crypto';
import { parseInput } from '../core/define-task.ts';
import { TaskmillError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { TaskStatus } from '../core/status.ts';
import type { ClaimedTask, RunEnd, StepContextRows, Store } from '../store/contract.ts';
import type { StepPlan, StepPreparer } from '../worker/step-plan.ts';
import type { PipelineDefinition } from './define-pipeline.ts';
import { type HookRunner, runHook } from './hooks.ts';
import { expandItems } from './map-items.ts';
import type { PipelineStep, StepContext } from './pipeline-types.ts';
import { stepInvalid } from './step-errors.ts';

export interface StepRuntimeDeps {
  store: Store;
  bus: EventBus;
  now(): number;
  pipelines: ReadonlyMap<string, PipelineDefinition>;
}

/** Call one of the definition's functions; what it throws fails the step. */
function call<T>(step: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw stepInvalid(step, `${what} threw`, error);
  }
}

/** The cache key as stored: the pipeline, the step and the key its function gave. */
export function cacheKeyOf(pipeline: string, step: string, key: string): string {
  return createHash('sha256').update(`${pipeline}\0${step}\0${key}`).digest('hex');
}

/** A step's input when it gives no `input` function: the run's for a root, the parent's output
 * for one parent, the parents' outputs by name for several. */
function defaultInput(step: PipelineStep, ctx: StepContext): unknown {
  if (step.dependsOn.length === 0) return ctx.input;
  if (step.dependsOn.length === 1) return ctx.outputs[step.dependsOn[0] as string];
  return ctx.outputs;
}

export class StepRuntime implements StepPreparer {
  private readonly deps: StepRuntimeDeps;
  /** Run id → pipeline name, for items (which need only their step's definition). */
  private readonly runPipelines = new Map<string, string>();
  private readonly hooks: HookRunner;

  constructor(deps: StepRuntimeDeps) {
    this.deps = deps;
    this.hooks = (fn) => runHook(deps.bus, fn);
  }

  async prepare(claimed: ClaimedTask): Promise<StepPlan> {
    try {
      return await this.plan(claimed);
    } catch (error) {
      if (error instanceof TaskmillError) return { kind: 'fail', error };
      throw error;
    }
  }

  private async plan(claimed: ClaimedTask): Promise<StepPlan> {
    const { task } = claimed;
    const link = task.pipeline as NonNullable<typeof task.pipeline>;
    const known = this.runPipelines.get(link.runId);
    if (link.item !== null) {
      // An item's input was built and checked when its map step fanned out.
      const pipeline = known ?? (await this.read(claimed, undefined)).run.pipeline;
      this.remember(link.runId, pipeline);
      const step = this.stepOf(pipeline, link.step);
      this.started(claimed, pipeline);
      return { kind: 'run', input: task.input, parsed: false, retry: step.retry };
    }
    const rows = await this.read(claimed, known);
    const pipeline = rows.run.pipeline;
    this.remember(link.runId, pipeline);
    const step = this.stepOf(pipeline, link.step);
    const ctx = contextOf(rows);
    const skippedBy = ctx.skipped[0];
    if (skippedBy !== undefined && step.whenParentSkipped === 'skip') {
      return settle('skipped', 'skipped', null, `skipped: parent step ${skippedBy} was skipped`);
    }
    if (step.when !== undefined && !call(step.name, 'when', () => step.when?.(ctx))) {
      return settle('skipped', 'skipped', null, 'skipped: when returned false');
    }
    if (step.map !== undefined) return this.map(claimed, rows, step, ctx);
    let cacheKey: string | null = null;
    if (step.cache !== undefined) {
      const { key, ttlMs } = step.cache;
      const given = call(step.name, 'cache.key', () => key(ctx));
      if (typeof given !== 'string')
        throw stepInvalid(step.name, 'cache.key did not return a string');
      cacheKey = cacheKeyOf(pipeline, step.name, given);
      const now = this.deps.now();
      const hit = await this.deps.store.pipelineCacheFind({ key: cacheKey, since: now - ttlMs });
      if (hit !== null) {
        return settle(
          'completed',
          'completed',
          hit.output,
          `cache hit: output of task ${hit.taskId}`,
        );
      }
    }
    const input = call(step.name, 'input', () =>
      step.input ? step.input({ ...ctx, item: undefined, index: -1 }) : defaultInput(step, ctx),
    );
    let parsed: unknown;
    try {
      parsed = parseInput(step.task, input);
    } catch (error) {
      throw stepInvalid(
        step.name,
        `built an input that its task "${step.task.name}" refuses`,
        error,
      );
    }
    const begun = await this.deps.store.pipelineStepBegin({
      now: this.deps.now(),
      id: task.id,
      token: claimed.leaseToken,
      input: input ?? null,
      cacheKey,
    });
    if (!begun.ok) return { kind: 'lost' };
    this.started(claimed, pipeline);
    return { kind: 'run', input: parsed, parsed: true, retry: step.retry };
  }

  private async map(
    claimed: ClaimedTask,
    rows: StepContextRows,
    step: PipelineStep,
    ctx: StepContext,
  ): Promise<StepPlan> {
    const items = rows.items ?? [];
    // Released after its items: every item completed (one that did not ends the step instead).
    if (items.length > 0) {
      const outputs = items.map((i) => i.output);
      return settle('completed', 'completed', outputs, `gathered ${items.length} items`);
    }
    const list = call(step.name, 'map.over', () => step.map?.over(ctx));
    if (!Array.isArray(list)) {
      const kind = list === null ? 'null' : typeof list;
      throw stepInvalid(step.name, `map.over returned ${kind}, not a list`);
    }
    if (list.length === 0) return settle('completed', 'completed', [], 'mapped over an empty list');
    const order = this.deps.pipelines.get(rows.run.pipeline)?.graph.order.indexOf(step.name) ?? 0;
    const tasks = expandItems(step, ctx, list, claimed, rows.run, order, this.deps.now());
    const done = await this.deps.store.pipelineMapExpand({
      now: this.deps.now(),
      id: claimed.task.id,
      token: claimed.leaseToken,
      items: tasks,
    });
    return done.ok ? { kind: 'expanded', items: tasks.length } : { kind: 'lost' };
  }

  settled(claimed: ClaimedTask, to: TaskStatus, durationMs: number, runEnded: RunEnd | undefined) {
    const link = claimed.task.pipeline;
    const pipeline = link && this.runPipelines.get(link.runId);
    if (link && pipeline) {
      const event = {
        runId: link.runId,
        pipeline,
        step: link.step,
        item: link.item,
        taskId: claimed.task.id,
      };
      this.deps.bus.emit('pipeline.step.ended', {
        ...event,
        status: to,
        durationMs,
        at: new Date(this.deps.now()),
      });
      const onStepEnd = this.deps.pipelines.get(pipeline)?.hooks.onStepEnd;
      if (onStepEnd) this.hooks(() => onStepEnd({ ...event, status: to, durationMs }));
    }
    if (runEnded !== undefined) this.runEnded(runEnded);
  }

  /** A run ended by a change in this process: its event and its pipeline's hook, once. */
  runEnded(end: RunEnd): void {
    this.runPipelines.delete(end.runId);
    this.deps.bus.emit('pipeline.run.ended', { ...end, at: new Date(this.deps.now()) });
    const onRunEnd = this.deps.pipelines.get(end.pipeline)?.hooks.onRunEnd;
    if (onRunEnd) this.hooks(() => onRunEnd({ ...end }));
  }

  private started(claimed: ClaimedTask, pipeline: string): void {
    const link = claimed.task.pipeline as NonNullable<ClaimedTask['task']['pipeline']>;
    const event = {
      runId: link.runId,
      pipeline,
      step: link.step,
      item: link.item,
      taskId: claimed.task.id,
    };
    this.deps.bus.emit('pipeline.step.started', { ...event, at: new Date(this.deps.now()) });
    const onStepStart = this.deps.pipelines.get(pipeline)?.hooks.onStepStart;
    if (onStepStart) this.hooks(() => onStepStart(event));
  }

  private async read(claimed: ClaimedTask, known: string | undefined): Promise<StepContextRows> {
    const link = claimed.task.pipeline as NonNullable<ClaimedTask['task']['pipeline']>;
    let pipeline = known;
    if (pipeline === undefined) {
      // The first task of this run seen here: learn its pipeline, then read what the step needs.
      const first = await this.deps.store.pipelineStepContext({
        runId: link.runId,
        step: link.step,
        parents: [],
        items: false,
      });
      if (first === null)
        throw new TaskmillError('PIPELINE_RUN_NOT_FOUND', `No run ${link.runId}.`);
      pipeline = first.run.pipeline;
      if (link.item !== null) return first;
    }
    const step = this.stepOf(pipeline, link.step);
    const rows = await this.deps.store.pipelineStepContext({
      runId: link.runId,
      step: link.step,
      parents: [...step.dependsOn],
      items: step.map !== undefined,
    });
    if (rows === null) throw new TaskmillError('PIPELINE_RUN_NOT_FOUND', `No run ${link.runId}.`);
    return rows;
  }

  private remember(runId: string, pipeline: string): void {
    if (this.runPipelines.size >= 10_000) this.runPipelines.clear();
    this.runPipelines.set(runId, pipeline);
  }

  private stepOf(pipeline: string, name: string): PipelineStep {
    const def = this.deps.pipelines.get(pipeline);
    const step = def?.steps.get(name);
    if (def === undefined || step === undefined) {
      const error = new TaskmillError(
        'PIPELINE_NOT_FOUND',
        `This worker does not know pipeline "${pipeline}" (step "${name}"): register it in every process that runs its steps (createTaskmill({ pipelines })).`,
        { details: { pipeline, step: name } },
      );
      throw error;
    }
    return step;
  }
}

function settle(
  to: 'completed' | 'skipped',
  outcome: 'completed' | 'skipped',
  output: unknown,
  reason: string,
): StepPlan {
  return { kind: 'settle', to, outcome, output, reason };
}

function contextOf(rows: StepContextRows): StepContext {
  const outputs: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const p of rows.parents) {
    if (p.status === 'skipped') skipped.push(p.step);
    else outputs[p.step] = p.output;
  }
  return Object.freeze({ input: rows.run.input, outputs: Object.freeze(outputs), skipped });
}
