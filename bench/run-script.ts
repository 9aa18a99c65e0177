/** Runs one scenario in a fresh process and reads back its result, the last line of its stdout. */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export type Row = Record<string, number | string>;

export interface RunOptions {
  /** Node flags before the script. */
  flags?: string[];
  /** Run the TypeScript source under bench/scenarios with Node's type stripping, not the
   * compiled copy in bench/.build. */
  source?: boolean;
}

export interface ScriptRunner {
  run(file: string, args: string[], options?: RunOptions): Row | null;
  /** The 1-minute load before each measurement: others' work on a 2-core machine moves every
   * figure. */
  loads: number[];
}

export function scriptRunner(
  benchDir: string,
  buildDir: string,
  say: (line: string) => void,
): ScriptRunner {
  const loads: number[] = [];
  return {
    loads,
    run(file, args, { flags = [], source = false } = {}) {
      loads.push(loadavg()[0] ?? 0);
      const script = source
        ? join(benchDir, 'scenarios', file)
        : join(buildDir, 'bench/scenarios', file.replace(/\.ts$/, '.js'));
      const run = spawnSync(process.execPath, ['--no-warnings', ...flags, script, ...args], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      const last = run.stdout.trim().split('\n').at(-1) ?? '';
      if (run.status !== 0 || !last.startsWith('{')) {
        say(`${file} ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stderr}`);
        return null;
      }
      const row = JSON.parse(last) as Row;
      say(`  ${source ? '(TypeScript sources) ' : ''}${JSON.stringify(row)}`);
      return row;
    },
  };
}
