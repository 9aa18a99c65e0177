import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import { cliInputError, parseIntegerOption } from '../parse-options.ts';

interface QueueFlags {
  json?: boolean;
}

type QueueChange = { kind: 'pause' } | { kind: 'resume' } | { kind: 'limit'; limit: number | null };

/** `none` lifts the limit; otherwise a whole number ≥ 1. */
export function parseQueueLimit(text: string): number | null {
  if (text === 'none') return null;
  return parseIntegerOption('<limit>', text, { min: 1, max: 100_000 });
}

async function changeQueue(
  name: string,
  change: QueueChange,
  flags: QueueFlags,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    if (change.kind === 'pause') await mill.pauseQueue(name);
    else if (change.kind === 'resume') await mill.resumeQueue(name);
    else await mill.setQueueConcurrency(name, change.limit);
    const queue = (await mill.queues()).find((q) => q.name === name);
    if (flags.json) {
      await write(toJson(queue ?? { name }));
      return EXIT.ok;
    }
    const state = queue?.paused ? 'paused' : 'active';
    const limit = queue?.concurrency == null ? 'no limit' : `at most ${queue.concurrency} at once`;
    await write(`queue ${name}: ${state}, ${limit}`);
    return EXIT.ok;
  });
}

export function registerQueue(program: Command): void {
  const queue = program
    .command('queue')
    .description('Pause or resume a queue, or cap how many of its tasks run at once');
  const action =
    (make: (name: string, arg?: string) => QueueChange) =>
    async (name: string, ...rest: unknown[]) => {
      const command = rest.at(-1) as Command;
      const arg = typeof rest[0] === 'string' ? rest[0] : undefined;
      process.exitCode = await changeQueue(
        name,
        make(name, arg),
        command.opts<QueueFlags>(),
        globalsOf(command),
      );
    };
  queue
    .command('pause')
    .description('Stop handing out its tasks (running ones go on); they stay queued')
    .argument('<name>', 'queue name')
    .option('--json', 'print the queue as JSON')
    .action(action(() => ({ kind: 'pause' })));
  queue
    .command('resume')
    .description('Hand out its tasks again')
    .argument('<name>', 'queue name')
    .option('--json', 'print the queue as JSON')
    .action(action(() => ({ kind: 'resume' })));
  queue
    .command('concurrency')
    .description('At most <limit> of its tasks run at once, across every worker; none lifts it')
    .argument('<name>', 'queue name')
    .argument('<limit>', 'a whole number ≥ 1, or none')
    .option('--json', 'print the queue as JSON')
    .action(
      action((_name, arg) => {
        if (arg === undefined) throw cliInputError('queue concurrency needs <limit>.');
        return { kind: 'limit', limit: parseQueueLimit(arg) };
      }),
    );
}
