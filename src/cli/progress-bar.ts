/**
 * The live view of `submit --wait`. On a terminal one line is redrawn in place; anywhere else
 * (a pipe, a file, CI logs) each change is its own line, because `\r` there only makes noise.
 */
import type { Task } from '../core/task.ts';
import { formatPercent } from './format.ts';

const BAR_WIDTH = 24;

export function renderBar(percent: number | null, width: number = BAR_WIDTH): string {
  const clamped = Math.min(100, Math.max(0, percent ?? 0));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

type View = Pick<Task, 'status' | 'progress' | 'progressMessage' | 'attempt' | 'maxAttempts'>;

function attemptNote(task: View): string {
  // Before the first claim the attempt is 0, which reads like an error; say nothing then.
  return task.maxAttempts > 1 && task.attempt > 0
    ? `  (attempt ${task.attempt}/${task.maxAttempts})`
    : '';
}

/** `running    [#########---------------]  40%  resizing rows 64-128  (attempt 1/3)` */
export function progressLine(task: View): string {
  const message = task.progressMessage ? `  ${task.progressMessage}` : '';
  const percent = formatPercent(task.progress).padStart(4);
  return `${task.status.padEnd(9)}  ${renderBar(task.progress)} ${percent}${message}${attemptNote(task)}`;
}

/** One plain line per change, for logs: `running 40% resizing rows 64-128`. */
export function plainLine(task: View): string {
  const percent = task.progress === null ? '' : ` ${formatPercent(task.progress)}`;
  const message = task.progressMessage ? ` ${task.progressMessage}` : '';
  return `${task.status}${percent}${message}${attemptNote(task)}`;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly live: boolean;
  private drawn = false;

  constructor(stream: ProgressStream) {
    this.stream = stream;
    this.live = stream.isTTY === true;
  }

  update(task: View): void {
    if (!this.live) {
      this.stream.write(`${plainLine(task)}\n`);
      return;
    }
    // Cut to the terminal width: a wrapped line cannot be redrawn with `\r`.
    const width = this.stream.columns || 80; // 0 when the terminal size is unknown
    const line = progressLine(task).slice(0, Math.max(20, width - 1));
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Leave the last frame on screen and move to a fresh line. */
  end(): void {
    if (this.live && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
