import type { Command } from 'commander';
import type { LogEntry } from '../../core/task.ts';
import { EXIT } from '../exit-codes.ts';
import { formatTime, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import { followLogs } from '../watch-task.ts';

interface LogsFlags {
  follow?: boolean;
  json?: boolean;
}

export function logLine(entry: LogEntry): string {
  return `${formatTime(entry.at)}  #${entry.attempt}  ${entry.level.padEnd(5)}  ${entry.message}`;
}

async function readAll(
  read: (afterId: number | undefined) => Promise<LogEntry[]>,
): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await read(afterId);
    all.push(...page);
    if (page.length < 500) return all;
    afterId = page[page.length - 1]?.id;
  }
}

/**
 * Without --follow: the lines so far. With it: every line until the task is terminal; in text mode
 * lines are printed as they arrive, with --json one array at the end (one JSON document).
 */
export async function logsCommand(
  id: string,
  flags: LogsFlags,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    await mill.get(id);
    if (!flags.follow) {
      const entries = await readAll((afterId) => mill.logs(id, { afterId, limit: 500 }));
      if (flags.json) await write(toJson(entries));
      else if (entries.length > 0) await write(entries.map(logLine).join('\n'));
      return EXIT.ok;
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const collected: LogEntry[] = [];
    try {
      const final = await followLogs(
        mill,
        id,
        (entries) => {
          if (flags.json) collected.push(...entries);
          else process.stdout.write(`${entries.map(logLine).join('\n')}\n`);
        },
        { signal: controller.signal },
      );
      if (flags.json) await write(toJson(collected));
      else if (final) await write(`-- task ${final.status}`);
      return EXIT.ok;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("Print a task's log lines; with --follow, until the task finishes")
    .argument('<id>', 'task id')
    .option('-f, --follow', 'keep printing new lines until the task is finished')
    .option('--json', 'print the lines as one JSON array')
    .action(async (id: string, flags: LogsFlags, command: Command) => {
      process.exitCode = await logsCommand(id, flags, globalsOf(command));
    });
}
