import type { Command } from 'commander';
import type { ListOptions } from '../../core/task-filter.ts';
import { MAX_PAGE, SORT_FIELDS, type SortField } from '../../core/task-filter.ts';
import { EXIT } from '../exit-codes.ts';
import { formatAge, formatDuration, formatPercent, table, toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import {
  cliInputError,
  parseIntegerOption,
  parseListOption,
  parseStatusOption,
} from '../parse-options.ts';
import type { TaskView } from '../task-access.ts';

interface LsFlags {
  status?: string;
  type?: string;
  queue?: string;
  limit?: string;
  cursor?: string;
  page?: string;
  total?: boolean;
  search?: string;
  name?: string;
  worker?: string;
  run?: string;
  step?: string;
  sort: string;
  order: string;
  json?: boolean;
}

export function parseLsFlags(flags: LsFlags): ListOptions {
  if (!(SORT_FIELDS as readonly string[]).includes(flags.sort)) {
    throw cliInputError(
      `--sort ${JSON.stringify(flags.sort)} is not a sort field; use one of ${SORT_FIELDS.join(', ')}.`,
      { option: '--sort', value: flags.sort },
    );
  }
  if (flags.order !== 'asc' && flags.order !== 'desc') {
    throw cliInputError(`--order ${JSON.stringify(flags.order)} must be asc or desc.`, {
      option: '--order',
      value: flags.order,
    });
  }
  const options: ListOptions = { sort: flags.sort as SortField, order: flags.order };
  if (flags.status !== undefined) options.status = parseStatusOption(flags.status);
  if (flags.type !== undefined) options.type = parseListOption(flags.type);
  if (flags.queue !== undefined) options.queue = parseListOption(flags.queue);
  if (flags.limit !== undefined) {
    options.limit = parseIntegerOption('--limit', flags.limit, { min: 1, max: 1000 });
  }
  if (flags.cursor !== undefined) options.cursor = flags.cursor;
  if (flags.page !== undefined) {
    if (flags.cursor !== undefined) {
      throw cliInputError('Give --page or --cursor, not both.', { option: '--page' });
    }
    options.page = parseIntegerOption('--page', flags.page, { min: 1, max: MAX_PAGE });
  }
  if (flags.total === true) options.total = true;
  if (flags.search !== undefined) options.search = flags.search;
  if (flags.name !== undefined) options.name = flags.name;
  if (flags.worker !== undefined) options.workerId = flags.worker;
  if (flags.run !== undefined) options.runId = flags.run;
  if (flags.step !== undefined) options.step = flags.step;
  return options;
}

/** A name as a table cell: one line, at most 32 characters. */
function shortName(name: string | null): string {
  if (name === null) return '-';
  // By code point, so a cut never splits a character written as two UTF-16 units.
  const chars = [...name.replace(/\s+/g, ' ')];
  return chars.length > 32 ? `${chars.slice(0, 31).join('')}…` : chars.join('');
}

/** Where a page stands: `page 2 of 3, 5 tasks`, or the cursor hint. */
function pageFooter(page: { nextCursor: string | null; total?: number }, o: ListOptions): string {
  const limit = o.limit ?? 50;
  if (o.page !== undefined && page.total !== undefined) {
    const pages = Math.max(1, Math.ceil(page.total / limit));
    return `\npage ${o.page} of ${pages}, ${page.total} tasks${o.page < pages ? `; next: --page ${o.page + 1}` : ''}`;
  }
  const total = page.total === undefined ? '' : `\n${page.total} tasks match`;
  // The cursor belongs to this filter and order, so the hint only says which flag to add.
  const more = page.nextCursor ? `\nmore: repeat with --cursor ${page.nextCursor}` : '';
  return `${total}${more}`;
}

function runtime(task: TaskView, now: number): string {
  if (task.startedAt === null) return '-';
  const end = task.finishedAt?.getTime() ?? now;
  return formatDuration(end - task.startedAt.getTime());
}

/** The NAME column shows only when a task on the page has a name: most tasks have none. */
export function taskTable(tasks: readonly TaskView[], now: number = Date.now()): string {
  const named = tasks.some((t) => t.name !== null);
  return table(tasks, [
    { header: 'ID', value: (t) => t.id },
    ...(named ? [{ header: 'NAME', value: (t: TaskView) => shortName(t.name) }] : []),
    { header: 'TYPE', value: (t) => t.type },
    { header: 'STATUS', value: (t) => t.status },
    { header: 'PRIORITY', value: (t) => t.priority },
    { header: 'QUEUE', value: (t) => t.queue },
    { header: 'ATTEMPT', value: (t) => `${t.attempt}/${t.maxAttempts}`, align: 'right' },
    { header: 'PROGRESS', value: (t) => formatPercent(t.progress), align: 'right' },
    { header: 'RAN', value: (t) => runtime(t, now), align: 'right' },
    { header: 'CREATED', value: (t) => formatAge(t.createdAt, now) },
  ]);
}

export async function lsCommand(flags: LsFlags, globals: GlobalOptions): Promise<number> {
  const options = parseLsFlags(flags);
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const page = await mill.list(options);
    if (flags.json) {
      await write(toJson(page));
      return EXIT.ok;
    }
    if (page.tasks.length === 0) {
      await write(page.total ? `no tasks on this page (${page.total} in all)` : 'no tasks');
      return EXIT.ok;
    }
    await write(`${taskTable(page.tasks)}${pageFooter(page, options)}`);
    return EXIT.ok;
  });
}

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('List tasks (newest first unless --sort/--order say otherwise)')
    .option('-s, --status <statuses>', 'only these statuses (comma-separated)')
    .option('-t, --type <types>', 'only these task types (comma-separated)')
    .option('-q, --queue <queues>', 'only these queues (comma-separated)')
    .option('--search <text>', 'only tasks with this text in their id, name, type, input or error')
    .option('--name <text>', 'only tasks with this text in their name')
    .option('--worker <id>', 'only the tasks this worker runs now (it holds their lease)')
    .option('--run <id>', "only the tasks of this pipeline run: its steps' tasks and map items")
    .option('--step <name>', 'only the tasks of this pipeline step (with --run, of that run)')
    .option('-n, --limit <n>', 'at most this many tasks, 1..1000 (default 50)')
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .option(
      '--page <n>',
      'a numbered page from 1 (--limit tasks each), instead of --cursor; shows the total',
    )
    .option('--total', 'count every task matching the filter')
    .option('--sort <field>', `sort by ${SORT_FIELDS.join(', ')}`, 'createdAt')
    .option('--order <order>', 'asc or desc', 'desc')
    .option('--json', 'print { tasks, nextCursor, total? } as JSON')
    .action(async (flags: LsFlags, command: Command) => {
      process.exitCode = await lsCommand(flags, globalsOf(command));
    });
}
