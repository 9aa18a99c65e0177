/**
 * Following a task from the CLI. Over the database the worker may be another process sharing the
 * SQLite file, whose in-process events never reach us; over a server the event stream may drop.
 * So the task is read every `intervalMs` (by default the access's poll interval), and an event
 * (the mill's bus, or the server's stream) only makes the next read come sooner.
 */
import { isTerminal } from '../core/status.ts';
import type { LogEntry } from '../core/task.ts';
import type { TaskAccess, TaskView } from './task-access.ts';

export interface LoopOptions {
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Run `step` until it returns true, or the signal aborts (then resolves false). `wake` subscribes
 * to something that should cut the wait short and returns its unsubscribe.
 */
export async function pollLoop(
  step: () => Promise<boolean>,
  wake: (poke: () => void) => () => void,
  options: LoopOptions & { intervalMs: number },
): Promise<boolean> {
  const { signal, intervalMs } = options;
  let poke: () => void = () => {};
  const unsubscribe = wake(() => poke());
  try {
    while (!signal?.aborted) {
      if (await step()) return true;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          poke = () => {};
          resolve();
        };
        const timer = setTimeout(done, intervalMs);
        signal?.addEventListener('abort', done, { once: true });
        poke = done;
      });
    }
    return false;
  } finally {
    unsubscribe();
  }
}

function changeKey(task: TaskView): string {
  return JSON.stringify([task.status, task.attempt, task.progress, task.progressMessage]);
}

/**
 * Call `onChange` whenever status, attempt or progress changes, and resolve with the task once it
 * is terminal; with null when the signal aborted first.
 */
export async function watchTask(
  mill: TaskAccess,
  id: string,
  onChange: (task: TaskView) => void,
  options: LoopOptions = {},
): Promise<TaskView | null> {
  let last = '';
  let final: TaskView | null = null;
  const step = async () => {
    const task = await mill.get(id);
    const key = changeKey(task);
    if (key !== last) {
      last = key;
      onChange(task);
    }
    if (isTerminal(task.status)) final = task;
    return final !== null;
  };
  const wake = (poke: () => void) => mill.onTaskEvent(id, ['task.status', 'task.progress'], poke);
  const intervalMs = options.intervalMs ?? mill.pollIntervalMs;
  const finished = await pollLoop(step, wake, { ...options, intervalMs });
  return finished ? final : null;
}

/**
 * Hand every log line of the task to `onEntries`, oldest first, until the task is terminal and its
 * last lines are read. Resolves with the final task, or null when the signal aborted first.
 */
export async function followLogs(
  mill: TaskAccess,
  id: string,
  onEntries: (entries: LogEntry[]) => void,
  options: LoopOptions = {},
): Promise<TaskView | null> {
  let afterId: number | undefined;
  let final: TaskView | null = null;
  const drain = async () => {
    for (;;) {
      const entries = await mill.logs(id, { afterId, limit: 500 });
      if (entries.length === 0) return;
      afterId = entries[entries.length - 1]?.id;
      onEntries(entries);
      if (entries.length < 500) return;
    }
  };
  const step = async () => {
    // Status first, lines second: lines written before the task ended are all in by then.
    const task = await mill.get(id);
    await drain();
    if (isTerminal(task.status)) final = task;
    return final !== null;
  };
  const wake = (poke: () => void) => mill.onTaskEvent(id, ['task.log', 'task.status'], poke);
  const intervalMs = options.intervalMs ?? mill.pollIntervalMs;
  const finished = await pollLoop(step, wake, { ...options, intervalMs });
  return finished ? final : null;
}
