import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../core/clock.ts';
import { type AnyTaskDefinition, isTaskDefinition } from '../core/define-task.ts';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { EventBus } from '../core/event-bus.ts';
import { checkOptions, is, type OptionSpec, optionSpec, valueRule } from '../core/options-check.ts';
import type { Task } from '../core/task.ts';
import { StepRuntime } from '../pipeline/step-runtime.ts';
import { openStore, sqliteFilePath } from '../store/open.ts';
import { RETENTION_SPEC } from '../worker/retention.ts';
import { bulkChangesApi } from './bulk-changes.ts';
import { EventBridge } from './event-bridge.ts';
import { MillContext } from './mill-context.ts';
import { pipelineMap } from './pipeline-registry.ts';
import { PIPELINE_STARTER, pipelineStarterTask, type RunStarter } from './pipeline-starter.ts';
import { pipelinesApi } from './pipelines-api.ts';
import { purgeApi } from './purge.ts';
import { queueApi } from './queue-api.ts';
import { SCHEDULER_SPEC } from './scheduler-control.ts';
import { schedulesApi } from './schedules-api.ts';
import { ServiceHost } from './service-host.ts';
import { statsApi } from './stats.ts';
import { taskChangesApi } from './task-changes.ts';
import { taskReadsApi } from './task-reads.ts';
import { taskSubmitApi } from './task-submit.ts';
import type { SubmitOptions, Taskmill, TaskmillOptions } from './types.ts';
import { workerApi } from './worker-api.ts';

const OPTIONS_SPEC: OptionSpec = optionSpec<TaskmillOptions<readonly AnyTaskDefinition[]>>({
  database: is.string,
  tasks: is.array,
  dataDir: is.string,
  clock: valueRule(
    'a clock: an object with now()',
    (v) => typeof (v as { now?: unknown } | null)?.now === 'function',
  ),
  workerTimeoutMs: is.ms(1),
  retention: RETENTION_SPEC,
  scheduler: SCHEDULER_SPEC,
  pipelines: is.array,
});

/** Every member of `Taskmill`; `submit` untyped, since its types come from the definitions. */
type MillParts = Omit<Taskmill, 'submit'> & {
  submit(type: string, input: unknown, options?: SubmitOptions): Promise<Task>;
};

/** The library API, one concern per file; a new concern adds a part here, not lines to one. */
function composeMill(ctx: MillContext, pipelines: PipelineParts): MillParts {
  const { deps } = ctx;
  const workers = workerApi(ctx);
  const reads = taskReadsApi(ctx);
  const changes = taskChangesApi(ctx);
  return {
    definitions: deps.definitions,
    dataDir: deps.dataDir,
    clock: deps.clock,
    get schema() {
      return deps.store.schema;
    },
    on: (event, listener) => deps.bus.on(event, listener),
    close: () => ctx.close(),
    ...taskSubmitApi(ctx),
    ...reads,
    ...changes,
    ...bulkChangesApi(ctx, { list: reads.list, cancel: changes.cancel, retry: changes.retry }),
    ...purgeApi(ctx),
    ...queueApi(ctx),
    ...workers,
    ...statsApi(ctx, workers.workers),
    ...schedulesApi(ctx),
    pipelines: pipelines.api.pipelines,
  };
}

interface PipelineParts {
  api: ReturnType<typeof pipelinesApi>;
}

function definitionMap(tasks: readonly AnyTaskDefinition[]): Map<string, AnyTaskDefinition> {
  if (!Array.isArray(tasks)) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Option "tasks" must be an array of task definitions made by defineTask.',
      [{ path: 'tasks', message: 'expected an array' }],
    );
  }
  const map = new Map<string, AnyTaskDefinition>();
  tasks.forEach((def, i) => {
    if (!isTaskDefinition(def)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `tasks[${i}] is not a task definition; make it with defineTask().`,
        [{ path: `tasks[${i}]`, message: 'expected a defineTask() result' }],
      );
    }
    if (map.has(def.name)) {
      throw new TaskmillError(
        'TASK_TYPE_DUPLICATE',
        `Two task definitions are named "${def.name}"; task names must be unique.`,
        {
          details: { name: def.name },
        },
      );
    }
    map.set(def.name, def);
  });
  return map;
}

function isMemoryDatabase(database: string): boolean {
  return /^sqlite::memory:$/i.test(database.trim());
}

/** Beside the SQLite file; for PostgreSQL in the working folder (several machines: give every
 * process the same `dataDir` on a shared volume); for an in-memory database a temp folder that
 * goes with it. */
function defaultDataDir(database: string): string {
  const file = sqliteFilePath(database);
  if (file) return `${resolve(file)}-data`;
  if (isMemoryDatabase(database)) return mkdtempSync(join(tmpdir(), 'taskmill-data-'));
  return resolve('taskmill-data');
}

/**
 * Open a taskmill: the database (migrated on open) and the task types this process knows.
 * Workers start with `startWorker`; `close` stops them gracefully and closes the database.
 */
export async function createTaskmill<const Defs extends readonly AnyTaskDefinition[]>(
  options: TaskmillOptions<Defs>,
): Promise<Taskmill<Defs>> {
  checkOptions(OPTIONS_SPEC, options ?? null);
  if (typeof options.database !== 'string') {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'createTaskmill needs { database: "sqlite:./taskmill.db", tasks: [...] }.',
      [{ path: 'database', message: 'expected a database URL string' }],
    );
  }
  if ((globalThis as Record<symbol, unknown>)[Symbol.for('taskmill.executor-member')]) {
    throw new TaskmillError(
      'TASKS_MODULE_INVALID',
      'createTaskmill was called inside a thread or process executor, while it imported a task module: keep defineTask calls in a module that does not also open a taskmill.',
    );
  }
  const definitions = definitionMap(options.tasks ?? []);
  const pipelineDefs = pipelineMap(options.pipelines ?? [], definitions);
  // Set once the API exists: the starter task runs only after createTaskmill returned.
  let starter: RunStarter | null = null;
  if (pipelineDefs.size > 0 && !definitions.has(PIPELINE_STARTER)) {
    definitions.set(
      PIPELINE_STARTER,
      pipelineStarterTask(() => starter as RunStarter),
    );
  }
  const store = await openStore(options.database);
  const dataDir = options.dataDir ? resolve(options.dataDir) : defaultDataDir(options.database);
  mkdirSync(dataDir, { recursive: true });
  // An in-memory database's artifacts live only as long as it does.
  const temporaryDataDir = !options.dataDir && isMemoryDatabase(options.database);
  const bus = new EventBus();
  const clock = options.clock ?? systemClock;
  const runtime = new StepRuntime({
    store,
    bus,
    now: () => clock.now(),
    pipelines: pipelineDefs,
  });
  const context = new MillContext({
    steps: runtime,
    temporaryDataDir,
    store,
    bus,
    bridge: EventBridge.attach(bus, store),
    clock,
    definitions,
    dataDir,
    retention: options.retention ?? {},
    services: new ServiceHost({ clock }),
    workerTimeoutMs: options.workerTimeoutMs,
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
  });
  const api = pipelinesApi(context, pipelineDefs, runtime);
  starter = api.starter;
  return composeMill(context, { api }) as unknown as Taskmill<Defs>;
}
