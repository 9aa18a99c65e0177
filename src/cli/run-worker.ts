/**
 * The long-running side of the CLI (`worker`, `serve`): start a worker, print what happens to
 * tasks, and stop gracefully on SIGINT/SIGTERM. The CLI owns the signals (not the worker) so it can
 * say what it is doing and exit 0 once everything is closed; a second signal exits at once.
 */
import type { Taskmill, WorkerHandle } from '../mill/types.ts';
import type { WorkerOptions } from '../worker/types.ts';
import { EXIT } from './exit-codes.ts';
import { formatTime } from './format.ts';
import { resolveSettings } from './settings/resolve.ts';

/** The flags of `serve` and `worker` as commander gives them: SETTINGS' attributes, strings. */
export type WorkerFlags = Record<string, unknown> & {
  quiet?: boolean;
  config?: string;
  /** False with `--no-scheduler`. */
  scheduler?: boolean;
};

/** A task type's name, with its executor when it does not run inline. */
export function typeLabel(def: { name: string; executor: string }): string {
  return def.executor === 'inline' ? def.name : `${def.name} (${def.executor})`;
}

/** The worker options the flags alone give (no environment, no config file). */
export function parseWorkerFlags(flags: WorkerFlags): WorkerOptions {
  const { settings } = resolveSettings({
    command: 'worker',
    flags,
    globals: {},
    env: {},
    config: null,
  });
  return { ...settings.worker, handleSignals: false };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface Activity {
  /** Print the lines held back so far, and every later one as it happens. */
  release(): void;
  stop(): void;
}

/**
 * One line per status change and soft timeout, so a terminal shows the worker's life. Held back
 * until `release()` when `held`, so a banner printed meanwhile is not cut into.
 */
export function printActivity(mill: Taskmill, held = false): Activity {
  const pending: string[] = [];
  let holding = held;
  const emit = (line: string) => {
    if (holding) pending.push(line);
    else say(line);
  };
  // On PostgreSQL this process also hears of tasks other processes run: each line names the
  // worker that made the change, so a log never passes another's work off as its own.
  const offStatus = mill.on('task.status', (e) => {
    const reason = e.reason ? `  (${e.reason})` : '';
    const by = e.workerId ? `  [worker ${e.workerId}]` : '';
    emit(
      `${formatTime(e.at)}  ${e.type.padEnd(14)} ${e.taskId}  ${e.from ?? 'new'} → ${e.to}${reason}${by}`,
    );
  });
  const offSoft = mill.on('task.soft_timeout', (e) => {
    emit(
      `${formatTime(e.at)}  ${e.type.padEnd(14)} ${e.taskId}  passed its soft timeout (${e.softMs} ms); still running`,
    );
  });
  // Lost leases are never relayed between processes: this is this process's worker (or, under
  // serve, a remote worker it refused), and the rescuer's later line must not read as its own.
  const offLost = mill.on('lease.lost', (e) => {
    const refused =
      e.what === 'result'
        ? "this attempt's result was refused"
        : "this attempt's result will be refused";
    emit(
      `${formatTime(new Date())}  ${(e.type ?? 'task').padEnd(14)} ${e.taskId}  lease lost (${e.what}): another worker may run it; ${refused}  [worker ${e.workerId}]`,
    );
  });
  const offSchedule = printScheduleActivity(mill, emit);
  return {
    release() {
      holding = false;
      for (const line of pending.splice(0)) say(line);
    },
    stop() {
      offStatus();
      offSoft();
      offLost();
      offSchedule();
    },
  };
}

/** A line per tick that fired or was skipped (by this process's scheduler, or relayed). */
export function printScheduleActivity(mill: Taskmill, emit: (line: string) => void): () => void {
  const offFired = mill.on('schedule.fired', (e) => {
    const kind = e.manual ? ' (run now)' : e.backfill ? ' (backfill)' : '';
    emit(
      `${formatTime(new Date())}  schedule ${e.schedule}  tick ${e.scheduledAt.toISOString()} fired${kind} → task ${e.taskId}`,
    );
  });
  const offSkipped = mill.on('schedule.skipped', (e) => {
    emit(
      `${formatTime(new Date())}  schedule ${e.schedule}  tick ${e.scheduledAt.toISOString()} skipped (${e.reason})`,
    );
  });
  return () => {
    offFired();
    offSkipped();
  };
}

export function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Resolves with the exit code once a signal came and the worker and database are closed. */
export async function runUntilSignal(
  mill: Taskmill,
  options: WorkerOptions,
  /** May return what to close before the worker stops (the HTTP server). */
  afterStart: (worker: WorkerHandle) => Promise<(() => Promise<void>) | undefined>,
): Promise<number> {
  const stopped = nextSignal();
  const worker = await mill.startWorker(options);
  let beforeStop: (() => Promise<void>) | undefined;
  try {
    beforeStop = await afterStart(worker);
  } catch (error) {
    await worker.stop({ graceMs: 0 });
    await mill.close();
    throw error;
  }
  const signal = await stopped;
  say(`\n${signal}: stopping worker ${worker.id} (running tasks get the grace period to finish)…`);
  // A second signal ends the grace period: what still runs is aborted and given back at once,
  // so another worker takes it now rather than when its lease expires; a third exits as is.
  void nextSignal().then(async (again) => {
    process.stderr.write(`${again} again: releasing running tasks now\n`);
    void nextSignal().then(() => process.exit(EXIT.interrupted));
    await worker.stop({ graceMs: 0 });
    await mill.close();
    process.exit(EXIT.interrupted);
  });
  await beforeStop?.();
  await worker.stop(
    options.shutdownGraceMs === undefined ? {} : { graceMs: options.shutdownGraceMs },
  );
  await mill.close();
  say('stopped');
  return EXIT.ok;
}
