import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { redactUrl } from '../../core/redact-url.ts';
import { siblingFile } from '../../core/sibling-file.ts';
import type { Task } from '../../core/task.ts';
import type { SubmitOptions, Taskmill } from '../../mill/types.ts';
import { type AccessToken, loadTokens } from '../../server/auth.ts';
import { startServer } from '../../server/serve.ts';
import type { LoadedTasks } from '../load-tasks.ts';
import { type GlobalOptions, globalsOf } from '../open-mill.ts';
import { cliInputError } from '../parse-options.ts';
import { printActivity, runUntilSignal, typeLabel, type WorkerFlags } from '../run-worker.ts';
import { openWithSettings } from '../settings/open-with-settings.ts';
import { describeSettings } from '../settings/resolve.ts';
import { addWorkerOptions, schedulerLine } from './worker.ts';

/** `serve --demo` without `--tasks` and without a local tasks module runs the bundled demo. */
const DEMO_TASKS = fileURLToPath(siblingFile('../../../examples/demo/tasks', import.meta.url));

interface ServeFlags extends WorkerFlags {
  demo?: boolean;
  allowNoAuth?: boolean;
  tokens?: string;
}

interface DemoSubmission {
  type: string;
  input: unknown;
  options?: SubmitOptions;
  /** One line on what this task shows. */
  note?: string;
}

function isDemoSubmission(value: unknown): value is DemoSubmission {
  return typeof value === 'object' && value !== null && 'type' in value && 'input' in value;
}

export function demoSubmissionsOf(tasks: LoadedTasks): DemoSubmission[] {
  const { demoSubmissions: list } = tasks.exports;
  if (!Array.isArray(list) || !list.every(isDemoSubmission)) {
    throw cliInputError(
      `--demo needs the tasks module (${tasks.file ?? 'none'}) to export demoSubmissions: an array of { type, input, options? }.`,
      { option: '--demo' },
    );
  }
  return list;
}

/** How the user reaches the CLI: through the npm script when they started with `npm start`. */
function cliPrefix(): string {
  const { npm_lifecycle_event: viaNpm } = process.env;
  return viaNpm === 'start' || viaNpm === 'taskmill' ? 'npm run taskmill --' : 'taskmill';
}

/** Relative when that is shorter to type, absolute when it would climb out of the cwd. */
const PYTHON_WORKER = 'examples/remote-worker.py';

function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

interface HintContext {
  database: string;
  tasksFile: string | null;
  url: string;
  /** The demo's tasks, when `--demo` submitted them; null otherwise. */
  submitted: Task[] | null;
  /** The tasks module's first type, for a submit line that works with any module. */
  firstType: string | undefined;
  /** Names of the schedules the schedules file gave, for the `schedules` lines. */
  schedules: string[];
  /** The demo pipeline runs `--demo` started, for the `pipelines` lines. */
  runs: string[];
}

/** What to try with the demo's pipeline runs: the list, and one run's graph as it moves. */
function pipelineHints(cli: string, db: string, tasksFlag: string, runs: string[]): string[] {
  const [first] = runs;
  if (first === undefined) return [];
  return [
    `  ${cli} pipelines ls${tasksFlag} ${db}`,
    `  ${cli} pipelines show ${first} --watch${tasksFlag} ${db}    (the graph, each step's status)`,
  ];
}

/** What to try with the schedules a file gave: list, next times, run now, the report. */
function scheduleHints(cli: string, db: string, names: string[]): string[] {
  const [first] = names;
  if (first === undefined) return [];
  return [
    `  ${cli} schedules ls ${db}`,
    `  ${cli} schedules next ${first} -n 3 ${db}`,
    `  ${cli} schedules run ${names.at(-1)} ${db}    (run now, outside the expression)`,
    `  ${cli} schedules report ${db}`,
  ];
}

/** What to try next: the demo's own tour with `--demo`, or lines that work for any module. */
function hints(h: HintContext): string {
  const cli = cliPrefix();
  const shown = redactUrl(h.database);
  const db = shown === h.database ? `--database ${h.database}` : `--database '${shown}'`;
  const tasksFlag = h.tasksFile ? ` --tasks ${shownPath(h.tasksFile)}` : '';
  const masked =
    shown === h.database
      ? []
      : ['(the password of the database URL is not shown: put it back where it says ***)'];
  if (h.submitted === null) {
    return [
      'try, in another terminal:',
      `  ${cli} ls ${db}`,
      ...(h.firstType
        ? [`  ${cli} submit ${h.firstType} --input '{…}' --wait${tasksFlag} ${db}`]
        : []),
      `  ${cli} stats ${db}`,
      ...scheduleHints(cli, db, h.schedules),
      `  curl -s ${h.url}/api/v1/tasks?limit=5`,
      ...masked,
      'stop with Ctrl-C',
    ].join('\n');
  }
  const submitted = h.submitted;
  process.stdout.write(`open the dashboard: ${h.url}/\n\n`);
  const pick = (type: string) => submitted.find((t) => t.type === type)?.id ?? submitted[0]?.id;
  const showId = pick('demo.checksum') ?? '<id>';
  const logsId = pick('demo.email') ?? '<id>';
  return [
    'try, in another terminal:',
    `  ${cli} ls ${db}`,
    `  ${cli} show ${showId} ${db}    (RAN IN: the pool process that ran it)`,
    `  ${cli} logs ${logsId} --follow ${db}`,
    `  ${cli} submit demo.resize --input '{"width":1920,"height":1080,"steps":10}' --wait${tasksFlag} ${db}`,
    `  ${cli} submit demo.flaky --input '{"failTimes":2}' --wait${tasksFlag} ${db}`,
    `  ${cli} submit demo.primes --input '{"below":100000000}' --wait${tasksFlag} ${db}`,
    `  ${cli} stats ${db}`,
    ...pipelineHints(cli, db, tasksFlag, h.runs),
    ...scheduleHints(cli, db, h.schedules),
    `  curl -s ${h.url}/api/v1/tasks?limit=5`,
    // The Python worker is in the repository, not in the package.
    ...(existsSync(PYTHON_WORKER)
      ? [
          `  python3 examples/remote-worker.py --server ${h.url}    (a worker in Python, for py.*)`,
          `  ${cli} submit py.wordcount --input '{"text":"to be or not to be"}' --wait${tasksFlag} ${db}`,
        ]
      : []),
    `  curl -s -X POST ${h.url}/api/v1/types/demo.flaky/tasks -H 'content-type: application/json' -d '{"input":{"failTimes":1}}'`,
    ...masked,
    'stop with Ctrl-C',
  ].join('\n');
}

interface DemoRun {
  pipeline: string;
  input: unknown;
  note?: string;
}

function isDemoRun(value: unknown): value is DemoRun {
  return typeof value === 'object' && value !== null && 'pipeline' in value && 'input' in value;
}

/** The runs `--demo` starts: the module's `demoPipelineRuns`, which it need not export. */
function demoRunsOf(tasks: LoadedTasks): DemoRun[] {
  const { demoPipelineRuns: list } = tasks.exports;
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every(isDemoRun)) {
    throw cliInputError(
      `--demo: demoPipelineRuns in the tasks module (${tasks.file ?? 'none'}) must be an array of { pipeline, input, note? }.`,
      { option: '--demo' },
    );
  }
  return list;
}

/** One stored run each: no slower to start than the demo tasks. */
async function startDemoRuns(mill: Taskmill, runs: DemoRun[]): Promise<string[]> {
  if (runs.length === 0) return [];
  const started = [];
  for (const run of runs) started.push(await mill.pipelines.run(run.pipeline, run.input));
  const lines = started.map((run, i) => {
    const note = runs[i]?.note;
    return `  ${run.id}  ${run.pipeline}${note ? `  ${note}` : ''}`;
  });
  process.stdout.write(`started ${started.length} demo pipeline runs:\n${lines.join('\n')}\n\n`);
  return started.map((run) => run.id);
}

async function submitDemo(mill: Taskmill, tasks: LoadedTasks): Promise<Task[]> {
  const demo = demoSubmissionsOf(tasks);
  const submitted = await mill.submitMany(
    demo.map((d) => ({ type: d.type, input: d.input, options: d.options ?? {} })),
  );
  const lines = submitted.map((task, i) => {
    const note = demo[i]?.note;
    return `  ${task.id}  ${task.type.padEnd(13)}${note ? `  ${note}` : ''}`;
  });
  process.stdout.write(`submitted ${submitted.length} demo tasks:\n${lines.join('\n')}\n\n`);
  const backlog = demoBacklogOf(tasks);
  if (backlog.length > 0) {
    await mill.submitMany(
      backlog.map((d) => ({ type: d.type, input: d.input, options: d.options ?? {} })),
    );
    process.stdout.write(
      `submitted ${backlog.length} more demo tasks (demoBacklog) for the dashboard to show\n\n`,
    );
  }
  return submitted;
}

/** More tasks for the dashboard to show, submitted without a line each: the module's
 * `demoBacklog`, which it need not export. */
function demoBacklogOf(tasks: LoadedTasks): DemoSubmission[] {
  const { demoBacklog: list } = tasks.exports;
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every(isDemoSubmission)) {
    throw cliInputError(
      `--demo: demoBacklog in the tasks module (${tasks.file ?? 'none'}) must be an array of { type, input, options? }.`,
      { option: '--demo' },
    );
  }
  return list;
}

export async function serveCommand(flags: ServeFlags, globals: GlobalOptions): Promise<number> {
  const session = await openWithSettings('serve', flags, globals, {
    needsDefinitions: true,
    fallbackTasksFile: flags.demo ? DEMO_TASKS : undefined,
    scheduler: { enabled: flags.scheduler !== false },
  });
  const { mill, tasks, database, workerOptions: options } = session;
  const { port = 3000, host, allowedHosts = [], pushStrategy } = session.resolved.settings.serve;
  // Checked before the worker starts, so a module without demoSubmissions changes nothing.
  if (flags.demo) {
    try {
      demoSubmissionsOf(tasks);
      demoBacklogOf(tasks);
      demoRunsOf(tasks);
    } catch (error) {
      await mill.close();
      throw error;
    }
  }
  let tokens: AccessToken[];
  try {
    tokens = loadTokens(flags.tokens);
  } catch (error) {
    await mill.close();
    throw error;
  }
  const activity = flags.quiet ? null : printActivity(mill, true);
  return runUntilSignal(mill, options, async (worker) => {
    const server = await startServer(mill, {
      port,
      host,
      allowNoAuth: flags.allowNoAuth,
      allowedHosts,
      tokens,
      worker,
      // `--lease` holds remote units to the same lease as the embedded worker: without it a
      // dead unit's tasks would wait out the protocol's default whatever the user set.
      remoteWorkers: {
        ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        ...(pushStrategy === undefined ? {} : { push: { strategy: pushStrategy } }),
      },
    });
    const file = tasks.file ? shownPath(tasks.file) : '-';
    process.stdout.write(
      [
        `taskmill serve: worker ${worker.id} on ${redactUrl(database)}`,
        `  tasks module: ${file}`,
        `  task types: ${tasks.definitions.map(typeLabel).join(', ')}`,
        describeSettings(session.resolved),
        schedulerLine(flags, session.schedulesApplied),
        `  dashboard: ${server.url}/`,
        `  HTTP API: ${server.url}/api/v1   OpenAPI: ${server.url}/api/openapi.json   docs: ${server.url}/docs`,
        tokens.length > 0
          ? `  access tokens: ${tokens.length} (from ${flags.tokens ?? 'TASKMILL_TOKENS'}); every route but /health needs one`
          : host === undefined || host === '127.0.0.1'
            ? '  listening on 127.0.0.1 only (no access tokens are configured)'
            : `  listening on ${host} WITHOUT access tokens (--allow-no-auth)`,
        ...(allowedHosts.length > 0 ? [`  also answers as: ${allowedHosts.join(', ')}`] : []),
        '',
        '',
      ].join('\n'),
    );
    const submitted = flags.demo ? await submitDemo(mill, tasks) : null;
    const runs = flags.demo ? await startDemoRuns(mill, demoRunsOf(tasks)) : [];
    const firstType = tasks.definitions[0]?.name;
    const schedules = (await mill.schedules.list()).filter((s) => s.enabled).map((s) => s.name);
    const hint = {
      database,
      tasksFile: tasks.file,
      url: server.url,
      submitted,
      runs,
      firstType,
      schedules,
    };
    process.stdout.write(`${hints(hint)}\n\n`);
    activity?.release();
    return server.close;
  });
}

export function registerServe(program: Command): void {
  addWorkerOptions(
    program
      .command('serve')
      .description('Serve the HTTP API with a worker for the tasks module')
      .option('--tokens <file>', 'access tokens with scopes, one <token>:<scopes> per line')
      .option('--allow-no-auth', 'serve on a non-loopback address without access tokens')
      .option(
        '--demo',
        'submit the demo tasks of the tasks module (demoSubmissions) at start, and start its demo pipeline runs (demoPipelineRuns)',
      ),
    'serve',
  ).action(async (flags: ServeFlags, command: Command) => {
    process.exitCode = await serveCommand(flags, globalsOf(command));
  });
}
