/**
 * `taskmill pipelines ls|run|show|cancel|resume`: the pipeline run operations
 * (PipelineRunOperations) on the database, printed for people or, with `--json`, as what the
 * call returned. The runs are moved on by workers (`taskmill worker`, `serve`) loaded with the
 * same tasks module; these commands only start, read and steer them.
 */
import type { Command } from 'commander';
import { TaskmillError } from '../../core/errors.ts';
import type { PipelineBatch, PipelineRun, PipelineRunOperations } from '../../core/pipeline-run.ts';
import { EXIT, exitCodeForRunStatus } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import { cliInputError } from '../parse-options.ts';
import {
  type ListFlags,
  parseListFlags,
  parseRunInput,
  type RunFlags,
  useColor,
} from '../pipeline-flags.ts';
import {
  batchSummary,
  batchTable,
  definitionsTable,
  runFields,
  runStateLine,
  runSummary,
  runsTable,
} from '../pipeline-format.ts';
import { runGraphText } from '../pipeline-graph-text.ts';
import type { TaskAccess } from '../task-access.ts';
import { watchBatch, watchRun } from '../watch-run.ts';

interface ShowFlags {
  json?: boolean;
  watch?: boolean;
}

interface CancelFlags {
  reason?: string;
  json?: boolean;
}

/** Over `--server` until the HTTP client has the pipeline operations. */
function pipelinesOf(access: TaskAccess): PipelineRunOperations {
  if (access.pipelines !== null) return access.pipelines;
  throw cliInputError(
    'taskmill pipelines does not go through a server yet: drop --server (and TASKMILL_SERVER) and give --database, with --tasks for the module that exports the pipelines.',
    { option: '--server' },
  );
}

/** Stop waiting on SIGINT/SIGTERM (exit 130); the run goes on. */
async function untilSignal<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function stoppedWaiting(what: string): number {
  process.stderr.write(`stopped waiting; ${what} goes on\n`);
  return EXIT.interrupted;
}

/** A batch: 0 when every run completed, else 10 if one failed, 12 if one was cancelled. */
function batchExitCode(batch: PipelineBatch): number {
  if (batch.failed > 0) return EXIT.taskFailed;
  if (batch.cancelled > 0) return EXIT.taskCancelled;
  return EXIT.ok;
}

async function waitRun(access: TaskAccess, run: PipelineRun, json: boolean): Promise<number> {
  const pipelines = pipelinesOf(access);
  const final = await untilSignal((signal) =>
    watchRun(pipelines, run.id, (r) => (json ? undefined : write(runStateLine(r))), {
      signal,
      intervalMs: access.pollIntervalMs,
    }),
  );
  if (final === null)
    return stoppedWaiting(`run ${run.id} (see: taskmill pipelines show ${run.id})`);
  await write(json ? toJson(final) : runSummary(final));
  return exitCodeForRunStatus(final.status);
}

async function waitBatch(access: TaskAccess, batch: PipelineBatch, json: boolean): Promise<number> {
  const pipelines = pipelinesOf(access);
  const final = await untilSignal((signal) =>
    watchBatch(pipelines, batch.id, (b) => (json ? undefined : write(batchSummary(b))), {
      signal,
      intervalMs: access.pollIntervalMs,
    }),
  );
  if (final === null) return stoppedWaiting(`batch ${batch.id}`);
  await write(json ? toJson(final) : batchTable(final));
  return batchExitCode(final);
}

/** The library's message tells a program to register the pipeline; a CLI user exports it. */
async function assertExported(access: TaskAccess, name: string): Promise<void> {
  if (access.definitions === null || access.knowsPipeline(name)) return;
  const known = (await pipelinesOf(access).definitions()).map((p) => p.name);
  throw new TaskmillError(
    'PIPELINE_NOT_FOUND',
    `No pipeline named ${JSON.stringify(name)} in the tasks module${known.length > 0 ? ` (it exports: ${known.join(', ')})` : ', which exports none'}: export the definePipeline(...) result from the module given with --tasks.`,
    { details: { pipeline: name, registered: known } },
  );
}

async function runCommand(name: string, flags: RunFlags, globals: GlobalOptions): Promise<number> {
  const given = await parseRunInput(flags);
  const json = flags.json === true;
  return withSession(globals, { needsDefinitions: true }, async ({ mill }) => {
    const pipelines = pipelinesOf(mill);
    await assertExported(mill, name);
    if (given.many) {
      const batch = await pipelines.runMany(name, given.inputs);
      const ids = batch.runs.map((r) => `  ${r.id}`).join('\n');
      if (!json || !flags.wait) {
        await write(
          json
            ? toJson(batch)
            : `started ${batch.total} runs of ${name}, batch ${batch.id}:\n${ids}`,
        );
      }
      return flags.wait ? waitBatch(mill, batch, json) : EXIT.ok;
    }
    const run = await pipelines.run(name, given.input);
    if (!json || !flags.wait) {
      await write(
        json
          ? toJson(run)
          : `started run ${run.id} (${name}, ${run.progress.total} steps${flags.wait ? '; waiting for it to end' : ''})`,
      );
    }
    return flags.wait ? waitRun(mill, run, json) : EXIT.ok;
  });
}

async function lsCommand(flags: ListFlags, globals: GlobalOptions): Promise<number> {
  const options = parseListFlags(flags);
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const pipelines = pipelinesOf(mill);
    const page = await pipelines.list(options);
    const registered = flags.runs ? null : await pipelines.definitions();
    if (flags.json) {
      await write(toJson(registered === null ? page : { pipelines: registered, ...page }));
      return EXIT.ok;
    }
    const parts: string[] = [];
    if (registered !== null) {
      const none =
        mill.definitions !== null && registered.length === 0
          ? ' (none here: pass --tasks with the module that exports them)'
          : '';
      parts.push(`pipelines${none}\n${definitionsTable(registered)}`, '');
    }
    parts.push(`recent runs\n${runsTable(page.runs)}`);
    if (page.nextCursor !== null) parts.push(`(more: raise --limit, now ${options.limit})`);
    await write(parts.join('\n'));
    return EXIT.ok;
  });
}

/** The run's fields and its graph; the graph's edges need the pipeline's definition. */
async function runView(access: TaskAccess, id: string, color: boolean) {
  const pipelines = pipelinesOf(access);
  const run = await pipelines.get(id);
  const graph = await pipelines.graph(id);
  const drawn = runGraphText(graph, { color, steps: run.steps });
  const unknown =
    graph.nodes.length > 1 && graph.edges.length === 0 && !access.knowsPipeline(run.pipeline)
      ? `\n(pipeline ${run.pipeline} is not in the tasks module loaded here, so its steps are listed without their dependencies: pass --tasks)`
      : '';
  return { run, graph, text: `${runFields(run)}\n\ngraph\n${drawn}${unknown}` };
}

async function showCommand(id: string, flags: ShowFlags, globals: GlobalOptions): Promise<number> {
  const color = !flags.json && useColor();
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    if (!flags.watch) {
      const view = await runView(mill, id, color);
      await write(flags.json ? toJson({ run: view.run, graph: view.graph }) : view.text);
      return EXIT.ok;
    }
    // On a terminal each frame replaces the last; in a pipe or a log each frame follows the last.
    const live = process.stdout.isTTY === true;
    const final = await untilSignal((signal) =>
      watchRun(
        pipelinesOf(mill),
        id,
        async () => {
          if (flags.json) return;
          const { text } = await runView(mill, id, color);
          await write(live ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
        },
        { signal, intervalMs: mill.pollIntervalMs },
      ),
    );
    if (final === null) return stoppedWaiting(`run ${id}`);
    if (flags.json) {
      const view = await runView(mill, id, false);
      await write(toJson({ run: view.run, graph: view.graph }));
    }
    return exitCodeForRunStatus(final.status);
  });
}

async function cancelCommand(
  id: string,
  flags: CancelFlags,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const run = await pipelinesOf(mill).cancel(id, flags.reason ? { reason: flags.reason } : {});
    const text =
      run.status === 'running'
        ? `run ${id}: cancel requested; it ends cancelled once its running steps have stopped`
        : `run ${id}: ${run.status}`;
    await write(flags.json ? toJson(run) : text);
    return EXIT.ok;
  });
}

async function resumeCommand(
  id: string,
  flags: { json?: boolean },
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const run = await pipelinesOf(mill).resume(id);
    const kept = run.steps.filter((s) => s.status === 'completed' || s.status === 'skipped');
    await write(
      flags.json
        ? toJson(run)
        : `run ${id} resumed: ${run.status}; ${kept.length} of ${run.steps.length} steps kept their outputs`,
    );
    return EXIT.ok;
  });
}

export function registerPipelines(program: Command): void {
  const group = program
    .command('pipelines')
    .description(
      'Pipelines: list them and their runs, start, follow, draw, cancel and resume runs',
    );
  group
    .command('ls')
    .description('The registered pipelines and the recent runs, newest first')
    .option('--runs', 'only the runs')
    .option('--status <status>', 'runs in this status: running, completed, failed or cancelled')
    .option('--pipeline <name>', "only this pipeline's runs")
    .option('--limit <n>', 'how many runs (default 20)')
    .option('--json', 'print { pipelines, runs, nextCursor } as JSON')
    .action(async (flags: ListFlags, command: Command) => {
      process.exitCode = await lsCommand(flags, globalsOf(command));
    });
  group
    .command('run')
    .description('Start a run (or one run per item of --inputs); with --wait, follow it to the end')
    .argument('<pipeline>', 'pipeline name, as defined in the tasks module')
    .option('-i, --input <json>', "the run's input: JSON, @file, or - for stdin (default {})")
    .option('--inputs <json>', 'a JSON array: one run per item, started together as a batch')
    .option('-w, --wait', 'wait until it ends; exit 0 completed, 10 failed, 12 cancelled')
    .option('--json', 'print the run (the batch with --inputs) as JSON')
    .action(async (name: string, flags: RunFlags, command: Command) => {
      process.exitCode = await runCommand(name, flags, globalsOf(command));
    });
  group
    .command('show')
    .description("A run's status, progress, duration, error and its graph with each step's status")
    .argument('<run>', 'run id')
    .option('--watch', 'redraw on every change until the run ends; exit code as run --wait')
    .option('--json', 'print { run, graph } as JSON')
    .action(async (id: string, flags: ShowFlags, command: Command) => {
      process.exitCode = await showCommand(id, flags, globalsOf(command));
    });
  group
    .command('cancel')
    .description('Cancel what has not finished; running steps are asked to stop')
    .argument('<run>', 'run id')
    .option('--reason <text>', 'why, kept on the cancelled steps')
    .option('--json', 'print the run as JSON')
    .action(async (id: string, flags: CancelFlags, command: Command) => {
      process.exitCode = await cancelCommand(id, flags, globalsOf(command));
    });
  group
    .command('resume')
    .description('Run a failed or cancelled run again from the steps that did not complete')
    .argument('<run>', 'run id')
    .option('--json', 'print the run as JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      process.exitCode = await resumeCommand(id, flags, globalsOf(command));
    });
}
