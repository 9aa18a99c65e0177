import { redactUrl } from '../../core/redact-url.ts';
import { DATABASE_ENV, DEFAULT_DATABASE } from '../open-mill.ts';
import type { ConfigFile } from './config-file.ts';
import { type Raw, SETTINGS, type Settings, type SettingsCommand } from './spec.ts';

export const TASKS_ENV = 'TASKMILL_TASKS';

/** One setting that is not left at its default, and where its value came from. */
export interface SettingSource {
  key: string;
  shown: string;
  from: string;
}

export interface ResolvedSettings {
  settings: Settings;
  sources: SettingSource[];
  configFile: string | null;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function shownValue(raw: Raw): string {
  return Array.isArray(raw) ? raw.join(',') : String(raw);
}

/**
 * Where each setting of `serve` or `worker` comes from, first found wins: the flag, then the
 * `TASKMILL_*` environment variable, then the config file, then the default. Every value is
 * checked here, before anything is opened, and a wrong one names its source.
 */
export function resolveSettings(p: {
  command: SettingsCommand;
  flags: Record<string, unknown>;
  globals: { database?: string; tasks?: string };
  env: NodeJS.ProcessEnv;
  /** From `loadConfigFile`; null when there is none. */
  config: ConfigFile | null;
}): ResolvedSettings {
  const { config } = p;
  const inFile = (key: string) => `"${key}" in ${config?.file}`;
  const settings: Settings = { worker: {}, retention: { ...config?.retention }, serve: {} };
  const sources: SettingSource[] = [];
  for (const status of Object.keys(config?.retention ?? {})) {
    sources.push({
      key: `retention.${status}`,
      shown: JSON.stringify(config?.retention[status]),
      from: inFile('retention'),
    });
  }
  const pick = (flag: unknown, env: string, key: string): { raw: Raw; from: string } | null => {
    if (flag !== undefined && flag !== false) return { raw: flag as Raw, from: '' };
    if (present(p.env[env])) return { raw: p.env[env] as string, from: env };
    const fromFile = config?.values.get(key);
    return fromFile === undefined ? null : { raw: fromFile, from: inFile(key) };
  };

  const database = pick(p.globals.database, DATABASE_ENV, 'database');
  settings.database = database ? String(database.raw) : DEFAULT_DATABASE;
  sources.push({
    key: 'database',
    shown: redactUrl(settings.database),
    from: database?.from || (database ? '--database' : 'default'),
  });
  const tasks = pick(p.globals.tasks, TASKS_ENV, 'tasks');
  if (tasks) {
    settings.tasks = String(tasks.raw);
    sources.push({ key: 'tasks', shown: settings.tasks, from: tasks.from || '--tasks' });
  }
  for (const spec of SETTINGS) {
    if (!spec.on.includes(p.command)) continue;
    const found = pick(p.flags[spec.flag.attr], spec.env, spec.key);
    if (!found) continue;
    const from = found.from || spec.flag.name;
    spec.apply(settings, found.raw, from);
    const shown = shownValue(found.raw);
    sources.push({ key: spec.key, shown: spec.mask ? spec.mask(shown) : shown, from });
  }
  return { settings, sources, configFile: config?.file ?? null };
}

/** The start-up lines that say what this process runs with and why. */
export function describeSettings(resolved: ResolvedSettings): string {
  const width = Math.max(...resolved.sources.map((s) => s.key.length));
  const lines = resolved.sources.map((s) => `    ${s.key.padEnd(width)}  ${s.shown}  (${s.from})`);
  const file = resolved.configFile ? ` (config file ${resolved.configFile})` : '';
  return [`  settings${file}; the rest are defaults:`, ...lines].join('\n');
}
