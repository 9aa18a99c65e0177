import type { Command } from 'commander';
import { PURGEABLE, type PurgeableStatus } from '../../mill/purge.ts';
import { EXIT } from '../exit-codes.ts';
import { formatDuration, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withMill, write } from '../open-mill.ts';
import { cliInputError, parseDurationOption, parseListOption } from '../parse-options.ts';

interface PurgeFlags {
  olderThan?: string;
  status?: string;
  json?: boolean;
}

export function parsePurgeFlags(flags: PurgeFlags): {
  olderThanMs: number;
  status: PurgeableStatus[];
} {
  if (flags.olderThan === undefined) {
    throw cliInputError('purge needs --older-than, e.g. --older-than 7d.', {
      option: '--older-than',
    });
  }
  const olderThanMs = parseDurationOption('--older-than', flags.olderThan);
  const status = flags.status === undefined ? [...PURGEABLE] : parseListOption(flags.status);
  for (const s of status) {
    if (!(PURGEABLE as readonly string[]).includes(s)) {
      throw cliInputError(
        `--status ${JSON.stringify(s)}: only finished tasks are purged; use ${PURGEABLE.join(', ')}.`,
        { option: '--status', value: s },
      );
    }
  }
  return { olderThanMs, status: status as PurgeableStatus[] };
}

export async function purgeCommand(flags: PurgeFlags, globals: GlobalOptions): Promise<number> {
  const options = parsePurgeFlags(flags);
  // On the database itself: a purge is maintenance, like migrate, not an API call.
  return withMill(globals, { needsDefinitions: false, mustExist: true }, async ({ mill }) => {
    const { deleted } = await mill.purge(options);
    await write(
      flags.json
        ? toJson({ deleted, ...options })
        : `deleted ${deleted} task(s) (${options.status.join(', ')}) that finished over ${formatDuration(options.olderThanMs)} ago`,
    );
    return EXIT.ok;
  });
}

export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description('Delete finished tasks older than a cutoff, with their records and artifacts')
    .option('--older-than <duration>', 'finished at least this long ago: 90s, 30m, 12h, 7d, 2w')
    .option(
      '-s, --status <statuses>',
      `which finished statuses (default all: ${PURGEABLE.join(',')})`,
    )
    .option('--json', 'print { deleted, olderThanMs, status } as JSON')
    .action(async (flags: PurgeFlags, command: Command) => {
      process.exitCode = await purgeCommand(flags, globalsOf(command));
    });
}
