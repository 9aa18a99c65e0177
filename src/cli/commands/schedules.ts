/**
 * `taskmill schedules ls|show|add|rm|enable|disable|run|next|runs|report|apply`: the schedule
 * operations (ScheduleOperations) on the database or, with `--server`, through the HTTP API,
 * printed alike either way; `--json` prints what the call returned.
 */
import type { Command } from 'commander';
import type { ScheduleDefinition, ScheduleOperations } from '../../core/schedule.ts';
import { applySchedules } from '../apply-schedules.ts';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import {
  parseDurationOption,
  parseIntegerOption,
  parseJsonOption,
  parsePriorityOption,
  parseTimeOption,
} from '../parse-options.ts';
import {
  applyLine,
  reportTable,
  runsTable,
  scheduleFields,
  schedulesTable,
  zoned,
} from '../schedule-format.ts';
import { findSchedulesFile, readSchedulesFile } from '../schedules-file.ts';
import type { TaskAccess } from '../task-access.ts';

type Flags = Record<string, string | boolean | undefined> & { json?: boolean };

/** What a subcommand prints: `text` for people, `json` (the call's result) with `--json`. */
interface Printed {
  text: string;
  json: unknown;
}

const printed = (text: string, json: unknown): Printed => ({ text, json });

interface Run {
  /** Commands that build a task (its input checked against the type) need the definitions. */
  needsDefinitions: boolean;
  act(
    schedules: ScheduleOperations,
    args: string[],
    flags: Flags,
    access: TaskAccess,
  ): Promise<Printed>;
}

function str(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === 'string' ? value : undefined;
}

/** The definition fields the flags of `add` give. */
function definitionFlags(flags: Flags): Omit<ScheduleDefinition, 'name' | 'cron' | 'task'> {
  const d: Omit<ScheduleDefinition, 'name' | 'cron' | 'task'> = {};
  const input = str(flags, 'input');
  if (input !== undefined) d.input = parseJsonOption('--input', input);
  const timezone = str(flags, 'timezone');
  if (timezone !== undefined) d.timezone = timezone;
  const priority = str(flags, 'priority');
  if (priority !== undefined) d.priority = parsePriorityOption(priority);
  const queue = str(flags, 'queue');
  if (queue !== undefined) d.queue = queue;
  const attempts = str(flags, 'maxAttempts');
  if (attempts !== undefined)
    d.maxAttempts = parseIntegerOption('--max-attempts', attempts, { min: 1, max: 1000 });
  const timeout = str(flags, 'timeout');
  if (timeout !== undefined) d.timeout = { hardMs: parseDurationOption('--timeout', timeout) };
  const description = str(flags, 'description');
  if (description !== undefined) d.description = description;
  const overlap = str(flags, 'overlap');
  if (overlap !== undefined) d.overlap = overlap as ScheduleDefinition['overlap'];
  const catchUp = str(flags, 'catchUp');
  if (catchUp !== undefined) d.catchUp = catchUp as ScheduleDefinition['catchUp'];
  const window = str(flags, 'catchUpWindow');
  if (window !== undefined) d.catchUpWindowMs = parseDurationOption('--catch-up-window', window);
  if (flags['disabled'] === true) d.enabled = false;
  return d;
}

const RUNS: Record<string, Run> = {
  ls: {
    needsDefinitions: false,
    async act(schedules) {
      const list = await schedules.list();
      return printed(schedulesTable(list), list);
    },
  },
  show: {
    needsDefinitions: false,
    async act(schedules, [name = '']) {
      const schedule = await schedules.get(name);
      const runs = await schedules.runs(name, { limit: 5 });
      const text = `${scheduleFields(schedule)}\n\nrecent runs:\n${runsTable(runs)}`;
      return printed(text, { schedule, runs });
    },
  },
  add: {
    needsDefinitions: true,
    async act(schedules, [name = ''], flags) {
      const definition: ScheduleDefinition = {
        name,
        cron: str(flags, 'cron') ?? '',
        task: str(flags, 'task') ?? '',
        ...definitionFlags(flags),
      };
      const s = await schedules.add(definition);
      const next = s.nextRunAt ? `; next run ${zoned(s.nextRunAt, s.timezone)}` : '';
      return printed(`schedule ${s.name} added (${s.cron} ${s.timezone} → ${s.task})${next}`, s);
    },
  },
  rm: {
    needsDefinitions: false,
    async act(schedules, [name = '']) {
      await schedules.remove(name);
      return printed(`schedule ${name} removed (the tasks it made stay)`, { removed: name });
    },
  },
  enable: {
    needsDefinitions: false,
    async act(schedules, [name = '']) {
      const s = await schedules.enable(name);
      const next = s.nextRunAt ? `; next run ${zoned(s.nextRunAt, s.timezone)}` : '';
      return printed(`schedule ${name} enabled${next}`, s);
    },
  },
  disable: {
    needsDefinitions: false,
    async act(schedules, [name = '']) {
      const s = await schedules.disable(name);
      return printed(`schedule ${name} disabled`, s);
    },
  },
  run: {
    needsDefinitions: true,
    async act(schedules, [name = '']) {
      const run = await schedules.runNow(name);
      return printed(`schedule ${name} ran now: task ${run.taskId}`, run);
    },
  },
  next: {
    needsDefinitions: false,
    async act(schedules, [name = ''], flags) {
      const count = parseIntegerOption('--count', str(flags, 'count') ?? '5', {
        min: 1,
        max: 1000,
      });
      const fromText = str(flags, 'from');
      const from = fromText === undefined ? undefined : parseTimeOption('--from', fromText);
      const [times, schedule] = await Promise.all([
        schedules.next(name, count, from),
        schedules.get(name),
      ]);
      const lines = times.map((t) => `${t.toISOString()}  ${zoned(t, schedule.timezone)}`);
      return printed(lines.length > 0 ? lines.join('\n') : 'no fire times left', times);
    },
  },
  runs: {
    needsDefinitions: false,
    async act(schedules, [name = ''], flags) {
      const text = str(flags, 'limit');
      const limit =
        text === undefined ? 20 : parseIntegerOption('--limit', text, { min: 1, max: 1000 });
      const runs = await schedules.runs(name, { limit });
      return printed(runsTable(runs), runs);
    },
  },
  report: {
    needsDefinitions: false,
    async act(schedules, _args, flags) {
      const text = str(flags, 'days');
      const days =
        text === undefined ? 1 : parseIntegerOption('--days', text, { min: 1, max: 366 });
      const report = await schedules.report({ days });
      return printed(reportTable(report), report);
    },
  },
  apply: {
    needsDefinitions: true,
    async act(schedules, [file], _flags, access) {
      const found = findSchedulesFile(file, process.cwd());
      if (found === null) {
        return printed(
          'no schedules file (taskmill.schedules.json or .yaml) here: nothing applied',
          null,
        );
      }
      const loaded = readSchedulesFile(found);
      const result = await applySchedules(schedules, loaded, access.definitions ?? undefined);
      return printed(`schedules from ${found}: ${applyLine(result)}`, result);
    },
  },
};

async function runSchedules(
  what: string,
  args: string[],
  flags: Flags,
  globals: GlobalOptions,
): Promise<number> {
  const run = RUNS[what] as Run;
  return withSession(globals, { needsDefinitions: run.needsDefinitions }, async ({ mill }) => {
    const out = await run.act(mill.schedules, args, flags, mill);
    await write(flags.json ? toJson(out.json) : out.text);
    return EXIT.ok;
  });
}

export function registerSchedules(program: Command): void {
  const group = program
    .command('schedules')
    .description('Cron schedules: list, add, enable, disable, run now, next fire times, report');
  const action =
    (what: string) =>
    async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const args = params.slice(0, -2).filter((p): p is string => typeof p === 'string');
      process.exitCode = await runSchedules(what, args, command.opts<Flags>(), globalsOf(command));
    };
  const sub = (name: string, description: string, arg?: string) => {
    const command = group.command(name).description(description);
    if (arg) command.argument(arg, arg.includes('file') ? 'schedules file' : 'schedule name');
    return command.option('--json', 'print the result as JSON').action(action(name));
  };
  sub('ls', 'List the schedules with their last and next run, runs, success rate, skipped ticks');
  sub('show', 'One schedule: every field, its stats and its recent runs', '<name>');
  sub('add', 'Create a schedule', '<name>')
    .requiredOption('--cron <expression>', 'five fields, six (seconds first), or @hourly, @daily…')
    .requiredOption('--task <type>', 'the task type each tick submits')
    .option('--input <json>', "the task's input, checked against the type's schema")
    .option('--timezone <zone>', 'IANA time zone the expression is read in (default UTC)')
    .option('--priority <priority>', 'critical, high, normal, low, or 0..3')
    .option('--queue <name>', "the tasks' queue (default the type's)")
    .option('--max-attempts <n>', "attempts per task (default the type's)")
    .option('--timeout <duration>', "each task's hard timeout (default the type's)")
    .option('--description <text>', 'what it is for')
    .option(
      '--overlap <policy>',
      'allow (default), skip or queue, while the previous run is unfinished',
    )
    .option(
      '--catch-up <policy>',
      'none (default), latest or all, for ticks missed while no scheduler ran',
    )
    .option('--catch-up-window <duration>', 'with --catch-up all: how far back (default 24h)')
    .option('--disabled', 'create it disabled');
  sub('rm', 'Delete a schedule and its tick records (the tasks it made stay)', '<name>');
  sub('enable', 'Enable a schedule (ticks while it was disabled do not fire)', '<name>');
  sub('disable', 'Disable a schedule', '<name>');
  sub('run', 'Run now: submit its task at once (a manual run)', '<name>');
  sub('next', "The next fire times, in UTC and in the schedule's zone", '<name>')
    .option('-n, --count <n>', 'how many (default 5)')
    .option('--from <time>', 'after this time instead of now');
  sub('runs', 'Recent ticks, newest first, with their task and outcome', '<name>').option(
    '--limit <n>',
    'how many (default 20)',
  );
  sub('report', "Each schedule's runs per UTC day (seed 003's daily report)").option(
    '--days <n>',
    'the last n days (default 1: today)',
  );
  sub('apply', 'Apply a schedules file: create, update, disable what it no longer lists', '[file]');
}
