import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitFor } from './wait-for.ts';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall-clock time the process ended (before its pipes were drained). */
  at: number;
}

/**
 * A TypeScript script run as a real process by this test's Node (the pinned one, which runs
 * `.ts` directly). Its stdout is kept as lines, its stderr as text, so tests can wait on what it
 * says instead of sleeping.
 */
export class ChildScript {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  readonly lines: string[] = [];
  readonly spawnedAt = Date.now();
  stderr = '';
  exit: ChildExit | null = null;
  /** Wall-clock time of the first signal sent while it lived (the earliest it can have died of
   * it). */
  signalledAt: number | null = null;
  private readonly lineListeners = new Set<(line: string) => void>();
  /** Resolves once the process ended and its stdout and stderr are fully read. */
  readonly closed: Promise<ChildExit>;

  /** `program`: another interpreter than this Node (python3 for the remote worker example). */
  constructor(
    script: string,
    args: string[],
    options: { program?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.child = spawn(options.program ?? process.execPath, [script, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    if (this.child.pid === undefined) throw new Error(`could not spawn ${script}`);
    this.pid = this.child.pid;
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const listener of this.lineListeners) listener(line);
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    // A child that dies before reading stdin must not fail the test with EPIPE.
    this.child.stdin.on('error', () => undefined);
    this.child.once('exit', (code, signal) => {
      this.exit = { code, signal, at: Date.now() };
    });
    this.closed = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.exit ??= { code, signal, at: Date.now() };
        resolve(this.exit);
      });
    });
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** The first stdout line `match` accepts; fails early, with the child's stderr, if it dies. */
  async waitForLine(
    what: string,
    match: (line: string) => boolean,
    timeoutMs = 10_000,
  ): Promise<string> {
    return waitFor(
      () =>
        `${what} from pid ${this.pid} (${this.lines.length} lines so far, the last ${JSON.stringify(this.lines.at(-1) ?? '')}; stderr ${JSON.stringify(this.stderr.slice(-500))})`,
      () => {
        const line = this.lines.find(match);
        if (line !== undefined) return line;
        if (this.exit) {
          throw new Error(
            `pid ${this.pid} exited (${this.exit.code ?? this.exit.signal}) before ${what}; stderr:\n${this.stderr}`,
          );
        }
        return undefined;
      },
      { timeoutMs, everyMs: 10 },
    );
  }

  /**
   * The next stdout line `match` accepts, as soon as it is read: for a conversation of many
   * short turns, where polling `lines` would add its period to every turn. Only lines read
   * after the call count; fails early, with the child's stderr, if it dies.
   */
  nextLine(what: string, match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null, line = ''): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        if (error) reject(error);
        else resolve(line);
      };
      const listener = (line: string): void => {
        if (match(line)) settle(null, line);
      };
      const timer = setTimeout(
        () =>
          settle(
            new Error(`timed out after ${timeoutMs} ms waiting for ${what} from pid ${this.pid}`),
          ),
        timeoutMs,
      );
      this.lineListeners.add(listener);
      void this.closed.then((exit) =>
        settle(
          new Error(
            `pid ${this.pid} exited (${exit.code ?? exit.signal}) before ${what}; stderr:\n${this.stderr}`,
          ),
        ),
      );
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    this.signalledAt ??= Date.now();
    this.child.kill(signal);
  }

  writeLine(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** SIGKILL unless already gone, and wait until it is reaped (SIGKILL also ends a stopped one). */
  async destroy(): Promise<void> {
    this.signal('SIGKILL');
    await this.closed;
  }
}
