import { Worker } from 'node:worker_threads';
import { siblingFile } from '../../core/sibling-file.ts';

const THREAD = siblingFile('./checkpoint-thread', import.meta.url);

/** SQLite's own default: checkpoint once the WAL holds this many pages. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export interface CheckpointReport {
  /** Frames in the WAL, and how many of them are in the database file now. */
  log: number;
  checkpointed: number;
}

/**
 * Checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the WAL size limit, and with `synchronous = NORMAL` that commit then waits for the
 * fsync of the database file: a few milliseconds every thousand pages, on the event loop, in
 * the tail of every latency. Here the store turns the automatic checkpoint off and a thread with
 * its own connection checkpoints instead (PASSIVE: writers and readers go on). Should the thread
 * die, `fallBack` turns the automatic checkpoint on again, so the WAL never grows unbounded.
 */
export class Checkpointer {
  /** The thread's latest report; null before its first checkpoint. */
  last: CheckpointReport | null = null;
  private readonly thread: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;

  constructor(path: string, busyTimeoutMs: number, fallBack: () => void, intervalMs = 100) {
    this.thread = new Worker(THREAD, { workerData: { path, busyTimeoutMs, intervalMs } });
    this.thread.unref();
    this.thread.on('message', (report: CheckpointReport) => {
      this.last = report;
    });
    this.thread.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.thread.once('exit', () => {
        if (!this.stopping) fallBack();
        resolve();
      });
    });
  }

  /** For tests: end the thread as a crash would. */
  kill(): Promise<number> {
    return this.thread.terminate();
  }

  /** Close the thread's connection and end it (at once, if it does not answer within 1 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.thread.postMessage('stop');
    const late = setTimeout(() => void this.thread.terminate(), 1_000);
    await this.exited;
    clearTimeout(late);
  }
}
