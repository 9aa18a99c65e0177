/**
 * `mill.pipelines`: start runs (one, or one per input with `runMany`), read them, wait for them,
 * cancel and resume them. Everything is checked before the store is touched: a bad input or an
 * unknown pipeline starts nothing.
 */
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { checkOptions, is, optionSpec } from '../core/options-check.ts';
import type {
  ListRunsOptions,
  PipelineBatch,
  PipelineInfo,
  PipelineRun,
  PipelineRunOperations,
  PipelineRunStatus,
} from '../core/pipeline-run.ts';
import { RUN_STATUSES } from '../core/pipeline-run.ts';
import type { PipelineDefinition } from '../pipeline/define-pipeline.ts';
import { type PlannedRun, parseRunInput, planRun } from '../pipeline/run-plan.ts';
import type { StepRuntime } from '../pipeline/step-runtime.ts';
import type { RunChangeResult, RunEnd } from '../store/contract.ts';
import type { MillContext } from './mill-context.ts';
import type { RunStarter } from './pipeline-starter.ts';
import { runGraph, runStatus } from './pipeline-status.ts';
import { type WaitOptions, waitUntil } from './wait.ts';

const MAX_RUNS = 10_000;
const LIST_SPEC = optionSpec<ListRunsOptions>({
  pipeline: is.string,
  status: is.oneOf(...RUN_STATUSES),
  limit: is.whole(1, 1000),
  cursor: is.string,
});
const WAIT_SPEC = optionSpec<WaitOptions>({
  timeoutMs: is.ms(1),
  signal: is.object,
});

/** `mill.pipelines`: the shared operations, taking a definition or its name. */
export interface PipelineOperations extends PipelineRunOperations<PipelineDefinition | string> {
  /** The pipelines this process knows, by name. */
  readonly registered: ReadonlyMap<string, PipelineDefinition>;
}

function runNotFound(id: string): TaskmillError {
  return new TaskmillError(
    'PIPELINE_RUN_NOT_FOUND',
    `No pipeline run has id ${JSON.stringify(id)}.`,
    {
      details: { id },
    },
  );
}

export function pipelinesApi(
  ctx: MillContext,
  definitions: ReadonlyMap<string, PipelineDefinition>,
  runtime: StepRuntime,
): { pipelines: PipelineOperations; starter: RunStarter } {
  const { store, bus } = ctx.deps;

  const definitionOf = (pipeline: PipelineDefinition | string): PipelineDefinition => {
    const name = typeof pipeline === 'string' ? pipeline : pipeline?.name;
    const def = typeof name === 'string' ? definitions.get(name) : undefined;
    if (def === undefined) {
      const known = [...definitions.keys()];
      throw new TaskmillError(
        'PIPELINE_NOT_FOUND',
        `No pipeline named ${JSON.stringify(name)} is registered here${known.length > 0 ? ` (registered: ${known.join(', ')})` : ''}: pass it to createTaskmill({ pipelines }).`,
        { details: { pipeline: name, registered: known } },
      );
    }
    return def;
  };

  const leaves = (name: string) => [...(definitions.get(name)?.graph.leaves ?? [])];

  const get = async (id: string): Promise<PipelineRun> => {
    ctx.assertOpen();
    if (typeof id !== 'string') throw runNotFound(String(id));
    const detail = await store.pipelineRunGet({ id });
    if (detail === null) throw runNotFound(id);
    const outputs =
      detail.run.status === 'completed'
        ? (await store.pipelineRunOutputs({ ids: [id], steps: leaves(detail.run.pipeline) })).get(
            id,
          )
        : undefined;
    return runStatus(detail, outputs ?? null);
  };

  const start = async (def: PipelineDefinition, planned: PlannedRun[]) => {
    await store.pipelineRunStart({ now: ctx.now(), runs: planned });
    ctx.wakeWorkers();
    for (const p of planned) {
      bus.emit('pipeline.run.started', {
        runId: p.run.id,
        pipeline: def.name,
        at: new Date(ctx.now()),
      });
    }
  };

  const batch = async (id: string): Promise<PipelineBatch> => {
    ctx.assertOpen();
    const { runs } = await store.pipelineRunList({ batchId: id, limit: MAX_RUNS });
    if (runs.length === 0) {
      throw new TaskmillError(
        'PIPELINE_RUN_NOT_FOUND',
        `No batch of runs has id ${JSON.stringify(id)}.`,
        {
          details: { id },
        },
      );
    }
    runs.sort((a, b) => (a.batch?.index ?? 0) - (b.batch?.index ?? 0));
    const pipeline = (runs[0] as (typeof runs)[number]).pipeline;
    const done = runs.filter((r) => r.status === 'completed').map((r) => r.id);
    const outputs = await store.pipelineRunOutputs({ ids: done, steps: leaves(pipeline) });
    const count = (s: PipelineRunStatus) => runs.filter((r) => r.status === s).length;
    return {
      id,
      pipeline,
      total: runs.length,
      completed: count('completed'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      running: count('running'),
      runs: runs.map((r) => ({ id: r.id, status: r.status, output: outputs.get(r.id) ?? null })),
    };
  };

  const changed = async (id: string, result: RunChangeResult): Promise<PipelineRun> => {
    if (!result.ok && result.reason === 'not_found') throw runNotFound(id);
    if (!result.ok) {
      throw new TaskmillError(
        'PIPELINE_RUN_STATE',
        `Pipeline run ${id} is ${result.reason === 'wrong_status' ? result.status : '?'}: only a running run can be cancelled, and only a failed or cancelled one resumed.`,
        { details: { id, status: result.reason === 'wrong_status' ? result.status : null } },
      );
    }
    if (result.ended !== null) runtime.runEnded(result.ended as RunEnd);
    ctx.wakeWorkers();
    return get(id);
  };

  const pipelines: PipelineOperations = {
    registered: definitions,
    async definitions() {
      return [...definitions.values()].map(infoOf);
    },
    async run(pipeline, input) {
      ctx.assertOpen();
      const def = definitionOf(pipeline);
      const planned = planRun(def, parseRunInput(def, input), ctx.now());
      await start(def, [planned]);
      return get(planned.run.id);
    },
    async runMany(pipeline, inputs) {
      ctx.assertOpen();
      const def = definitionOf(pipeline);
      if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_RUNS) {
        throw new ValidationError(
          'OPTIONS_INVALID',
          `runMany takes a list of 1 to ${MAX_RUNS} inputs, one per run.`,
          [{ path: 'inputs', message: `expected an array of 1..${MAX_RUNS} inputs` }],
        );
      }
      const now = ctx.now();
      const batchId = uuidv7(now);
      const planned = inputs.map((input, index) =>
        planRun(def, parseRunInput(def, input, `inputs[${index}]`), now, { id: batchId, index }),
      );
      await start(def, planned);
      return batch(batchId);
    },
    get,
    async list(options) {
      ctx.assertOpen();
      checkOptions(LIST_SPEC, options);
      const page = await store.pipelineRunList({
        ...(options?.pipeline === undefined ? {} : { pipeline: options.pipeline }),
        ...(options?.status === undefined ? {} : { status: options.status }),
        limit: options?.limit ?? 50,
        cursor: options?.cursor ?? null,
      });
      return {
        runs: await Promise.all(page.runs.map((r) => get(r.id))),
        nextCursor: page.nextCursor,
      };
    },
    batch,
    wait(id, options = {}) {
      checkOptions(WAIT_SPEC, options);
      // Polls the run's row alone; its steps are read once, when it has ended.
      const ended = async () => {
        ctx.assertOpen();
        const found = await store.pipelineRunGet({ id, runOnly: true });
        if (found === null) throw runNotFound(id);
        return found.run.status !== 'running';
      };
      return waitUntil<PipelineRun | null>(
        {
          get: async () => ((await ended()) ? get(id) : null),
          done: (run) => run !== null,
          subscribe: (changed) =>
            bus.on('pipeline.run.ended', (e) => {
              if (e.runId === id) changed();
            }),
          what: `Pipeline run ${id}`,
          details: { runId: id },
        },
        options,
      ).then((run) => run as PipelineRun);
    },
    waitBatch(id, options = {}) {
      checkOptions(WAIT_SPEC, options);
      return waitUntil(
        {
          get: () => batch(id),
          done: (b) => b.running === 0,
          subscribe: (changed) => bus.on('pipeline.run.ended', () => changed()),
          what: `Batch ${id}`,
          details: { batchId: id },
        },
        options,
      );
    },
    async graph(id) {
      const run = await get(id);
      return runGraph(definitions.get(run.pipeline), run);
    },
    async cancel(id, options) {
      ctx.assertOpen();
      const reason = options?.reason ?? 'pipeline run cancelled';
      return changed(id, await store.pipelineRunCancel({ now: ctx.now(), id, reason }));
    },
    async resume(id) {
      ctx.assertOpen();
      return changed(id, await store.pipelineRunResume({ now: ctx.now(), id }));
    },
  };
  const starter: RunStarter = {
    async startWithId(id, pipeline, input) {
      const def = definitionOf(pipeline);
      let parsed: unknown;
      try {
        parsed = parseRunInput(def, input);
      } catch (error) {
        // Another attempt would get the same input.
        (error as { retryable?: boolean }).retryable = false;
        throw error;
      }
      await start(def, [planRun(def, parsed, ctx.now(), null, id)]);
      return { runId: id };
    },
  };
  return { pipelines, starter };
}

function infoOf(def: PipelineDefinition): PipelineInfo {
  return {
    name: def.name,
    description: def.description ?? null,
    mode: def.mode,
    onFailure: def.onFailure,
    steps: def.graph.order.map((name) => {
      const step = def.steps.get(name);
      return {
        name,
        task: step?.task.name ?? '?',
        dependsOn: [...(step?.dependsOn ?? [])],
        map: step?.map !== undefined,
        concurrency: step?.map?.concurrency ?? null,
      };
    }),
  };
}
