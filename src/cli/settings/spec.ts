/**
 * Every setting `serve` and `worker` take, each reachable three ways with one name: a flag, a
 * `TASKMILL_*` environment variable and a key of the config file. The table is the single list
 * that parsing, the help text, the start-up printout and docs/reference/configuration.md follow.
 */
import { checkAllowedHosts } from '../../server/browser-guard.ts';
import {
  BALANCING_STRATEGIES,
  type BalancingStrategy,
  isBalancingStrategy,
} from '../../worker/remote/balancing.ts';
import type { RetentionRules } from '../../worker/retention.ts';
import type { WorkerOptions } from '../../worker/types.ts';
import {
  cliInputError,
  parseDurationOption,
  parseIntegerOption,
  parseListOption,
} from '../parse-options.ts';

export interface Settings {
  database?: string;
  tasks?: string;
  worker: WorkerOptions;
  retention: RetentionRules;
  serve: {
    port?: number;
    host?: string;
    allowedHosts?: string[];
    /** How push dispatch shares tasks among push units (balancing.ts). */
    pushStrategy?: BalancingStrategy;
  };
  /** The schedules file to apply at start (docs/schedules.md). */
  schedules?: string;
}

/** The long-running commands, which take settings. */
export type SettingsCommand = 'serve' | 'worker' | 'scheduler';

/** A raw value: text from a flag or the environment, or what the JSON config file holds. */
export type Raw = string | number | boolean | readonly unknown[];

export interface SettingSpec {
  /** The config file key (dotted for nested objects). */
  key: string;
  /** The commander attribute of the flag, and the flag as typed. */
  flag: { attr: string; name: string; arg: string };
  env: string;
  /** Which commands take it. */
  on: readonly SettingsCommand[];
  help: string;
  /** The flag may be given several times; its values join as a comma-separated list. */
  repeatable?: boolean;
  /** Shown instead of the value at start-up (passwords in URLs, secrets). */
  mask?: (value: string) => string;
  /** `label` names where the value came from, for the error message. */
  apply(settings: Settings, raw: Raw, label: string): void;
}

const BOTH = ['serve', 'worker'] as const;
const FINISHED = ['completed', 'failed', 'timed_out', 'cancelled', 'skipped'] as const;

function text(raw: Raw): string {
  return Array.isArray(raw) ? raw.join(',') : String(raw);
}

function integer(min: number, max?: number) {
  return (raw: Raw, label: string): number =>
    parseIntegerOption(label, text(raw), max === undefined ? { min } : { min, max });
}

/** Milliseconds: a number, or a duration such as `30s`, `7d`. */
function duration(raw: Raw, label: string): number {
  return parseDurationOption(label, text(raw));
}

function plain(raw: Raw): string {
  return text(raw);
}

function list(raw: Raw): string[] {
  return parseListOption(text(raw));
}

/** Names checked as the server checks them, so a bad one stops `serve` before it starts. */
function hostList(raw: Raw): string[] {
  return checkAllowedHosts(list(raw));
}

/** A push balancing strategy, refused with the allowed ones. */
function pushStrategy(raw: Raw, label: string): BalancingStrategy {
  const value = text(raw);
  if (isBalancingStrategy(value)) return value;
  throw cliInputError(
    `${label}: "${value}" is not a push strategy; use one of ${BALANCING_STRATEGIES.join(', ')}.`,
    { option: label, value, allowed: [...BALANCING_STRATEGIES] },
  );
}

/** One row of the table: how its raw value is read, and where the result goes. */
function setting<T>(
  key: string,
  flag: string,
  env: string,
  help: string,
  parse: (raw: Raw, label: string) => T,
  set: (settings: Settings, value: T) => void,
  more: { on?: SettingSpec['on']; arg?: string } = {},
): SettingSpec {
  const attr = flag.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const reader: unknown = parse;
  const arg = more.arg ?? (reader === duration ? '<duration>' : reader === list ? '<a,b>' : '<n>');
  return {
    key,
    flag: { attr, name: flag, arg },
    env,
    on: more.on ?? BOTH,
    help,
    repeatable: reader === list || reader === hostList,
    apply: (s, raw, label) => set(s, parse(raw, label)),
  };
}

function workerSetting<K extends keyof WorkerOptions>(
  key: K,
  flag: string,
  env: string,
  help: string,
  parse: (raw: Raw, label: string) => WorkerOptions[K],
  arg?: string,
): SettingSpec {
  const set = (s: Settings, value: WorkerOptions[K]) => {
    s.worker[key] = value;
  };
  return setting(`worker.${key}`, flag, env, help, parse, set, { arg });
}

function retainAll(field: 'maxAgeMs' | 'maxCount') {
  return (s: Settings, value: number) => {
    for (const status of FINISHED) s.retention[status] = { ...s.retention[status], [field]: value };
  };
}

export const SETTINGS: readonly SettingSpec[] = [
  workerSetting(
    'concurrency',
    '--concurrency',
    'TASKMILL_CONCURRENCY',
    'tasks run at once (default 10)',
    integer(1, 1000),
  ),
  workerSetting(
    'prefetch',
    '--prefetch',
    'TASKMILL_PREFETCH',
    'tasks claimed ahead of a free slot (default: the concurrency)',
    integer(0, 10_000),
  ),
  workerSetting(
    'queues',
    '--queues',
    'TASKMILL_QUEUES',
    'only these queues (comma-separated; default all)',
    list,
  ),
  workerSetting(
    'name',
    '--name',
    'TASKMILL_WORKER_NAME',
    'the name shown in the worker list (default <host>:<pid>)',
    plain,
    '<name>',
  ),
  workerSetting(
    'shutdownGraceMs',
    '--grace',
    'TASKMILL_GRACE',
    'on stop, how long running tasks get to finish (default 10s)',
    duration,
  ),
  workerSetting(
    'leaseMs',
    '--lease',
    'TASKMILL_LEASE',
    'how long a claim holds a task without renewal (default 30s)',
    duration,
  ),
  workerSetting(
    'heartbeatMs',
    '--heartbeat',
    'TASKMILL_HEARTBEAT',
    'lease renewal and heartbeat (default lease / 3, at most 2s)',
    duration,
  ),
  workerSetting(
    'pollMs',
    '--poll',
    'TASKMILL_POLL',
    'poll when no wake-up comes (default 500ms)',
    duration,
  ),
  workerSetting(
    'sweepMs',
    '--sweep',
    'TASKMILL_SWEEP',
    'how often expired leases are looked for (default lease / 2)',
    duration,
  ),
  workerSetting(
    'crashLimit',
    '--crash-limit',
    'TASKMILL_CRASH_LIMIT',
    'deaths of its worker in a row that fail a task (default 3)',
    integer(1, 1000),
  ),
  workerSetting(
    'retentionMs',
    '--retention-every',
    'TASKMILL_RETENTION_EVERY',
    'how often retention runs (default 60s)',
    duration,
  ),
  setting(
    'worker.executors.thread.size',
    '--threads',
    'TASKMILL_THREADS',
    'threads for tasks with executor "thread" (default: the cores)',
    integer(1, 256),
    (s, size) => {
      s.worker.executors = { ...s.worker.executors, thread: { size } };
    },
  ),
  setting(
    'worker.executors.process.size',
    '--processes',
    'TASKMILL_PROCESSES',
    'processes for tasks with executor "process" (default: the cores)',
    integer(1, 256),
    (s, size) => {
      s.worker.executors = { ...s.worker.executors, process: { size } };
    },
  ),
  setting(
    'retain',
    '--retain',
    'TASKMILL_RETAIN',
    'delete finished tasks this long after they finish (e.g. 7d; default: keep them)',
    duration,
    retainAll('maxAgeMs'),
  ),
  setting(
    'retainCount',
    '--retain-count',
    'TASKMILL_RETAIN_COUNT',
    'keep at most this many finished tasks of each end status (default: no limit)',
    integer(0),
    retainAll('maxCount'),
  ),
  setting(
    'serve.port',
    '--port',
    'TASKMILL_PORT',
    'HTTP port (default 3000; 0 picks a free one)',
    integer(0, 65_535),
    (s, port) => {
      s.serve.port = port;
    },
    { on: ['serve'] },
  ),
  setting(
    'serve.host',
    '--host',
    'TASKMILL_HOST',
    'address to listen on (default 127.0.0.1)',
    plain,
    (s, host) => {
      s.serve.host = host;
    },
    { on: ['serve'], arg: '<address>' },
  ),
  setting(
    'serve.allowedHosts',
    '--allowed-host',
    'TASKMILL_ALLOWED_HOSTS',
    'host names to answer besides loopback and --host, comma-separated or repeated ("*": any)',
    hostList,
    (s, allowedHosts) => {
      s.serve.allowedHosts = allowedHosts;
    },
    { on: ['serve'], arg: '<names>' },
  ),
  setting(
    'serve.pushStrategy',
    '--push-strategy',
    'TASKMILL_PUSH_STRATEGY',
    `how push units share the tasks: ${BALANCING_STRATEGIES.join(', ')} (default least-loaded)`,
    pushStrategy,
    (s, strategy) => {
      s.serve.pushStrategy = strategy;
    },
    { on: ['serve'], arg: '<name>' },
  ),
  setting(
    'schedules',
    '--schedules',
    'TASKMILL_SCHEDULES',
    'schedules file to apply at start (default ./taskmill.schedules.json or .yaml if present)',
    plain,
    (s, file) => {
      s.schedules = file;
    },
    { on: ['serve', 'worker', 'scheduler'], arg: '<file>' },
  ),
];
