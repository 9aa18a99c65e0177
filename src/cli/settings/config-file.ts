import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { closestName } from '../../core/closest-name.ts';
import { cliInputError, parseDurationOption, parseIntegerOption } from '../parse-options.ts';
import { type Raw, SETTINGS } from './spec.ts';

export const CONFIG_ENV = 'TASKMILL_CONFIG';
export const DEFAULT_CONFIG_FILE = 'taskmill.config.json';

const FINISHED = ['completed', 'failed', 'timed_out', 'cancelled', 'skipped'];
const RULE_KEYS = ['maxAgeMs', 'maxCount'];
/** Keys the file may hold besides the settings' own: where the database and tasks are, and
 * retention per end status. */
const OTHER_KEYS = ['database', 'tasks', 'retention'];

export interface ConfigFile {
  file: string;
  /** Leaf values by dotted key: `worker.concurrency`, `database`. */
  values: Map<string, Raw>;
  /** `retention.<status>.<maxAgeMs|maxCount>`, checked and in milliseconds. */
  retention: Record<string, { maxAgeMs?: number; maxCount?: number }>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKey(file: string, key: string, known: readonly string[]): never {
  const near = closestName(key, known)?.name;
  throw cliInputError(
    `${file}: "${key}" is not a setting${near ? `; did you mean "${near}"?` : ''} Settings are listed in docs/reference/configuration.md.`,
    { file, key, ...(near ? { didYouMean: near } : {}) },
  );
}

function retentionOf(file: string, value: unknown): ConfigFile['retention'] {
  if (!isObject(value))
    throw cliInputError(`${file}: "retention" must be an object by end status.`);
  const rules: ConfigFile['retention'] = {};
  for (const [status, rule] of Object.entries(value)) {
    if (!FINISHED.includes(status))
      unknownKey(
        file,
        `retention.${status}`,
        FINISHED.map((s) => `retention.${s}`),
      );
    if (!isObject(rule))
      throw cliInputError(`${file}: "retention.${status}" must be { maxAgeMs?, maxCount? }.`);
    const out: { maxAgeMs?: number; maxCount?: number } = {};
    for (const [key, raw] of Object.entries(rule)) {
      const label = `"retention.${status}.${key}" in ${file}`;
      if (key === 'maxAgeMs') out.maxAgeMs = parseDurationOption(label, String(raw));
      else if (key === 'maxCount')
        out.maxCount = parseIntegerOption(label, String(raw), { min: 0 });
      else
        unknownKey(
          file,
          `retention.${status}.${key}`,
          RULE_KEYS.map((k) => `retention.${status}.${k}`),
        );
    }
    rules[status] = out;
  }
  return rules;
}

/**
 * The config file: `--config FILE`, else TASKMILL_CONFIG, else `taskmill.config.json` in the
 * working folder if there is one. JSON, with the keys of docs/reference/configuration.md; an
 * unknown key is refused with the nearest known one, so a typo is never silently ignored.
 */
export function loadConfigFile(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): ConfigFile | null {
  const fromEnv = env[CONFIG_ENV] === '' ? undefined : env[CONFIG_ENV];
  const named = given ?? fromEnv;
  const file = path.resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  if (named === undefined && !existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw cliInputError(`Config file ${file} cannot be read as JSON: ${reason}.`, { file, reason });
  }
  if (!isObject(parsed))
    throw cliInputError(`Config file ${file} must hold a JSON object.`, { file });
  const known = [...SETTINGS.map((s) => s.key), ...OTHER_KEYS];
  const values = new Map<string, Raw>();
  let retention: ConfigFile['retention'] = {};
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(object)) {
      const key = `${prefix}${name}`;
      if (key === 'retention') retention = retentionOf(file, value);
      else if (known.includes(key)) values.set(key, value as Raw);
      else if (isObject(value) && known.some((k) => k.startsWith(`${key}.`)))
        walk(value, `${key}.`);
      else unknownKey(file, key, known);
    }
  };
  walk(parsed, '');
  return { file, values, retention };
}
