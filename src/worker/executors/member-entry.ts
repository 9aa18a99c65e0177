/**
 * The script a thread or process of an executor pool runs. It imports a task's module, finds
 * the definition by name and runs the handler with a context whose calls become messages.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import workerpool from 'workerpool';
import { type AnyTaskDefinition, isTaskDefinition } from '../../core/define-task.ts';
import { TaskmillError } from '../../core/errors.ts';
import { registeredTask } from '../../core/task-registry.ts';
import { runInTaskContext } from '../current-task.ts';
import { crossError } from './crossed-error.ts';
import { memberContext } from './member-context.ts';
import {
  ABORT_SIGNAL,
  type MemberCommand,
  type MemberEvent,
  type MemberJob,
  type MemberReply,
} from './protocol.ts';

// createTaskmill refuses to start inside a member: a tasks module that also opens a mill
// would otherwise start a second worker in every thread and process of the pool.
(globalThis as Record<symbol, unknown>)[Symbol.for('taskmill.executor-member')] = true;

let current: AbortController | null = null;

const send = (event: MemberEvent): void => workerpool.workerEmit(event);

if (isMainThread) {
  process.on(ABORT_SIGNAL, () => current?.abort());
  // The worker that forked this process is gone; nobody will read a result.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (error) => {
    // Said before dying so that the worker can name the cause; exit code 1 alone cannot.
    send({ t: 'crash', error: crossError(error) });
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    setTimeout(() => process.exit(1), 25);
  });
}

/** Loading fails the same way on every attempt, so its errors are not retried. */
class LoadError extends TaskmillError {
  readonly retryable = false;
}

async function loadTask(module: string, type: string): Promise<AnyTaskDefinition> {
  try {
    await import(module);
  } catch (error) {
    if (error instanceof TaskmillError) throw new LoadError(error.code, error.message);
    throw new LoadError(
      'TASKS_MODULE_INVALID',
      `Could not import ${module} in an executor pool: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const def = registeredTask(module, type);
  if (!isTaskDefinition(def)) {
    throw new LoadError(
      'TASK_DEFINITION_INVALID',
      `Task type "${type}" is not defined when ${module} is imported in an executor pool: define it at the top level of that module with defineTask.`,
    );
  }
  return def;
}

function memory(): MemberReply['memory'] {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}

async function run(job: MemberJob): Promise<MemberReply> {
  const controller = new AbortController();
  current = controller;
  job.port?.on('message', (command: MemberCommand) => {
    if (command.t === 'abort') controller.abort();
  });
  send({ t: 'start', pid: process.pid, threadId });
  try {
    const def = await loadTask(job.module, job.type);
    const ctx = memberContext(job.task, job.dataDir, controller.signal, send);
    const output = await runInTaskContext(ctx, () => def.run(job.input, ctx));
    return { ok: true, output, memory: memory() };
  } catch (error) {
    return { ok: false, error: crossError(error), memory: memory() };
  } finally {
    current = null;
    job.port?.close();
  }
}

workerpool.worker({ run });
