/**
 * The soak's child processes: two workers and the submitter, each a compiled scenario started with
 * its configuration as one JSON argument, reporting on stdout one JSON line at a time
 * (`SoakLine`, bench/scenarios/soak-task.ts). A restart is a real one: SIGTERM, wait for the
 * process to end by itself, start a new one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SoakChildConfig, SoakLine } from './scenarios/soak-task.ts';

/** A worker given longer than this to stop after SIGTERM is killed, and the restart says so. */
const STOP_LIMIT_MS = 60_000;
const READY_LIMIT_MS = 60_000;

/** The children still running: killed when the driver exits, whatever ends it. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface Child {
  role: SoakChildConfig['role'];
  pid: number;
  ready: Promise<SoakLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  process: ChildProcess;
}

export interface Restart {
  /** Milliseconds after the soak's start. */
  at: number;
  /** SIGTERM to the process's end: the worker's graceful stop. */
  stopMs: number;
  /** Start to the new worker's `ready` line: opening the store and starting the worker. */
  readyMs: number;
  /** How the old one ended: `SIGTERM` when the library re-raised the signal after its stop. */
  ended: string;
}

export function startChild(
  buildDir: string,
  config: SoakChildConfig,
  onLine: (line: SoakLine) => void,
  say: (line: string) => void,
): Child {
  const submitter = config.role === 'submitter';
  const script = submitter ? 'soak-submitter.js' : 'soak-worker.js';
  // The submitter's heap is also read after a forced collection (soakLine's liveHeapMb). Not the
  // workers': a full collection every sample would land in the claim latency the soak checks.
  const flags = submitter ? ['--no-warnings', '--expose-gc'] : ['--no-warnings'];
  const child = spawn(
    process.execPath,
    [...flags, join(buildDir, 'bench/scenarios', script), JSON.stringify(config)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  let markReady: (line: SoakLine) => void = () => {};
  let failReady: (e: Error) => void = () => {};
  const ready = new Promise<SoakLine>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return say(`${config.role}: ${text}`);
    const line = JSON.parse(text) as SoakLine;
    if (line.kind === 'ready') markReady(line);
    onLine(line);
  });
  createInterface({ input: child.stderr! }).on('line', (text) => say(`${config.role}: ${text}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': by then stdout is read to its end, the last line included.
    child.on('close', (code, signal) => {
      live.delete(child);
      failReady(new Error(`${config.role} ended (${signal ?? code}) before it was ready`));
      resolve({ code, signal });
    }),
  );
  const timer = setTimeout(() => failReady(new Error(`${config.role} not ready`)), READY_LIMIT_MS);
  void ready.finally(() => clearTimeout(timer)).catch(() => {});
  return { role: config.role, pid: child.pid ?? -1, ready, exited, process: child };
}

/** SIGTERM, and wait for the end (SIGKILL past STOP_LIMIT_MS). */
export async function stopChild(child: Child): Promise<{ stopMs: number; ended: string }> {
  const started = performance.now();
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_LIMIT_MS);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  return { stopMs: Math.round(performance.now() - started), ended: String(signal ?? code) };
}

/** Stop `old` and start its successor: the restart the soak makes every interval. */
export async function restartChild(
  old: Child,
  start: () => Child,
  at: number,
): Promise<{ child: Child; restart: Restart }> {
  const { stopMs, ended } = await stopChild(old);
  const started = performance.now();
  const child = start();
  await child.ready;
  return {
    child,
    restart: { at, stopMs, readyMs: Math.round(performance.now() - started), ended },
  };
}
