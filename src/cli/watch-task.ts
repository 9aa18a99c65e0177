/**
 * Following a task from the CLI. The worker may be another process sharing the SQLite file, so its
 * in-process events never reach us: we poll the store every `intervalMs`, and an event on our own
 * bus (a worker in this process, as in `serve`) only makes the next poll come sooner.
 */
import { isTerminal } from '../core/status.ts';
import type { LogEntry, Task } from '../core/task.ts';
import type { Taskmill } from '../mill/types.ts';

export const POLL_INTERVAL_MS = 150;

interface LoopOptions {
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Run `step` until it returns true, or the signal aborts (then resolves false). `wake` subscribes
 * to something that should cut the wait short and returns its unsubscribe.
 */
async function pollLoop(
  step: () => Promise<boolean>,
  wake: (poke: () => void) => () => void,
  options: LoopOptions,
): Promise<boolean> {
  const { signal } = options;
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
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

function changeKey(task: Task): string {
  return JSON.stringify([task.status, task.attempt, task.progress, task.progressMessage]);
}

/**
 * Call `onChange` whenever status, attempt or progress changes, and resolve with the task once it
 * is terminal; with null when the signal aborted first.
 */
export async function watchTask(
  mill: Taskmill,
  id: string,
  onChange: (task: Task) => void,
  options: LoopOptions = {},
): Promise<Task | null> {
  let last = '';
  let final: Task | null = null;
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
  const wake = (poke: () => void) => {
    const offStatus = mill.on('task.status', (e) => e.taskId === id && poke());
    const offProgress = mill.on('task.progress', (e) => e.taskId === id && poke());
    return () => {
      offStatus();
      offProgress();
    };
  };
  const finished = await pollLoop(step, wake, options);
  return finished ? final : null;
}

/**
 * Hand every log line of the task to `onEntries`, oldest first, until the task is terminal and its
 * last lines are read. Resolves with the final task, or null when the signal aborted first.
 */
export async function followLogs(
  mill: Taskmill,
  id: string,
  onEntries: (entries: LogEntry[]) => void,
  options: LoopOptions = {},
): Promise<Task | null> {
  let afterId: number | undefined;
  let final: Task | null = null;
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
  const wake = (poke: () => void) => {
    const offLog = mill.on('task.log', (e) => e.taskId === id && poke());
    const offStatus = mill.on('task.status', (e) => e.taskId === id && poke());
    return () => {
      offLog();
      offStatus();
    };
  };
  const finished = await pollLoop(step, wake, options);
  return finished ? final : null;
}
