/**
 * Running a pipeline's hooks: a hook may be async and may throw; neither holds up the worker or
 * changes the run. What it throws (or rejects with) becomes a `listener.error` event.
 */
import type { EventBus } from '../core/event-bus.ts';

export type HookRunner = (fn: () => void | Promise<void>) => void;

export function runHook(bus: EventBus, fn: () => void | Promise<void>): void {
  const report = (error: unknown) => bus.emit('listener.error', { event: 'pipeline hook', error });
  try {
    const result = fn();
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}
