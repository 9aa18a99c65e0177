/** Run the real `taskmill` CLI as a child process, as a user would, and wait on its output. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait-for.ts';

export const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const FIXTURE_TASKS = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
export const DEMO_TASKS = fileURLToPath(new URL('../../examples/demo/tasks.ts', import.meta.url));
/** Seed 003's cron jobs and one every minute: what `npm start` applies. */
export const DEMO_SCHEDULES = fileURLToPath(
  new URL('../../examples/demo/schedules.json', import.meta.url),
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  /** A folder without a taskmill.tasks.ts, used as the working directory. */
  dir: string;
  database: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'taskmill-cli-'));
  return {
    dir,
    database: `sqlite:${path.join(dir, 'test.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The parent's database and npm script name must not leak into the child's behaviour.
  const { TASKMILL_DATABASE: _db, npm_lifecycle_event: _npm, ...env } = process.env;
  return { ...env, ...extra };
}

export function spawnCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; stdin?: string },
): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env ?? {}),
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  return child;
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; stdin?: string },
): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `taskmill ${args.join(' ')} ran past ${options.timeoutMs ?? 15_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running CLI process (worker, serve) whose output the test can wait on. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(args: string[], options: { cwd: string; env?: Record<string, string> }) {
    this.child = spawnCli(args, options);
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return waitFor(
      () => `output ${pattern} (so far:\n${this.stdout}\n${this.stderr})`,
      () => this.stdout.match(pattern) ?? undefined,
      { timeoutMs },
    );
  }

  /** Send a signal and resolve with the exit code; SIGKILL past the deadline. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
