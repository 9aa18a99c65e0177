import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskContext } from '../core/context.ts';

const storage = new AsyncLocalStorage<TaskContext>();

/**
 * The context of the task whose handler is running, for code the handler calls without passing
 * the context along (a helper deep in the stack that logs or reports progress). Undefined
 * outside a handler.
 */
export function currentTask(): TaskContext | undefined {
  return storage.getStore();
}

export function runInTaskContext<T>(ctx: TaskContext, fn: () => T): T {
  return storage.run(ctx, fn);
}
