import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withMill, write } from '../open-mill.ts';

interface MigrateFlags {
  json?: boolean;
}

/** Opening a database migrates it (under a lock, so several processes may start at once); this
 * command does only that, for deployments that migrate before starting workers. */
export async function migrateCommand(flags: MigrateFlags, globals: GlobalOptions): Promise<number> {
  return withMill(globals, { needsDefinitions: false }, async ({ mill }) => {
    const { version, applied } = mill.schema;
    if (flags.json) await write(toJson({ version, applied }));
    else if (applied.length === 0) await write(`schema is up to date (version ${version})`);
    else
      await write(
        `applied migration${applied.length === 1 ? '' : 's'} ${applied.join(', ')}; schema is at version ${version}`,
      );
    return EXIT.ok;
  });
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Create or upgrade the database schema, then exit')
    .option('--json', 'print { version, applied } as JSON')
    .action(async (flags: MigrateFlags, command: Command) => {
      process.exitCode = await migrateCommand(flags, globalsOf(command));
    });
}
