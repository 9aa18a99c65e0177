/**
 * A periodic service: work a process does on a timer rather than on request (a worker's
 * heartbeat, the lease sweeper, retention, and later the scheduler). Layers below the library
 * describe their services with these types; the library's service host runs them.
 */

export interface Service {
  /** Shown in errors and in the host's status: `heartbeat`, `sweeper`, `retention`, … */
  readonly name: string;
  /** Time from the end of one run to the start of the next. */
  readonly everyMs: number;
  /** Run once as soon as the service is added, rather than after `everyMs`. */
  readonly immediately?: boolean;
  run(): Promise<void>;
  /** Told of a failed run (the next run still happens); the host reports it otherwise. */
  onError?(error: unknown): void;
}

/** A service once added: run it now, or stop it (waiting for a run in flight). */
export interface ServiceHandle {
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** What a layer below the library needs of the host: somewhere to add its services. */
export interface ServiceRunner {
  add(service: Service): ServiceHandle;
}

export interface ServiceStatus {
  name: string;
  everyMs: number;
  runs: number;
  failures: number;
  /** Clock time the last run ended, or null before the first. */
  lastRunAt: number | null;
  /** The last failure's message while the service is failing; null once a run succeeds. */
  lastError: string | null;
}

/**
 * Where a timer comes from. The host takes one so that a test can move time by hand; the
 * default is the runtime's own. Handles are opaque: only the same Timers reads them.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
