import type { Command } from 'commander';
import type { SubmitOptions } from '../../mill/types.ts';
import { EXIT, exitCodeForStatus } from '../exit-codes.ts';
import { formatDuration, formatValue, toJson } from '../format.ts';
import { inputText } from '../input-source.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import {
  cliInputError,
  parseDurationOption,
  parseIntegerOption,
  parseJsonOption,
  parseListOption,
  parsePriorityOption,
  parseTimeOption,
} from '../parse-options.ts';
import { ProgressBar } from '../progress-bar.ts';
import type { TaskAccess, TaskView } from '../task-access.ts';
import { watchTask } from '../watch-task.ts';

interface SubmitFlags {
  input: string;
  name?: string;
  priority?: string;
  delay?: string;
  runAt?: string;
  timeout?: string;
  softTimeout?: string;
  queue?: string;
  idempotencyKey?: string;
  maxAttempts?: string;
  dependsOn?: string;
  wait?: boolean;
  json?: boolean;
}

/** Every flag is checked before the database is opened, so a typo never leaves a row behind. */
export function parseSubmitFlags(flags: SubmitFlags): { input: unknown; options: SubmitOptions } {
  const input = parseJsonOption('--input', flags.input);
  const options: SubmitOptions = {};
  if (flags.name !== undefined) options.name = flags.name;
  if (flags.priority !== undefined) options.priority = parsePriorityOption(flags.priority);
  if (flags.delay !== undefined) {
    options.delayMs = parseIntegerOption('--delay', flags.delay, { min: 0 });
  }
  if (flags.runAt !== undefined) {
    if (flags.delay !== undefined) {
      throw cliInputError('Give --run-at or --delay, not both.', { option: '--run-at' });
    }
    options.runAt = parseTimeOption('--run-at', flags.runAt);
  }
  if (flags.timeout !== undefined || flags.softTimeout !== undefined) {
    options.timeout = {
      ...(flags.timeout === undefined
        ? {}
        : { hardMs: parseDurationOption('--timeout', flags.timeout) }),
      ...(flags.softTimeout === undefined
        ? {}
        : { softMs: parseDurationOption('--soft-timeout', flags.softTimeout) }),
    };
  }
  if (flags.queue !== undefined) options.queue = flags.queue;
  if (flags.idempotencyKey !== undefined) options.idempotencyKey = flags.idempotencyKey;
  if (flags.maxAttempts !== undefined) {
    options.maxAttempts = parseIntegerOption('--max-attempts', flags.maxAttempts, {
      min: 1,
      max: 1000,
    });
  }
  if (flags.dependsOn !== undefined) options.dependsOn = parseListOption(flags.dependsOn);
  return { input, options };
}

/**
 * The task's outcome over its whole life (submit to finish) and its attempts apart: a task that
 * failed twice and then completed took seconds, though its last attempt took a millisecond.
 */
export function summary(task: TaskView): string {
  const total = task.finishedAt
    ? ` ${formatDuration(task.finishedAt.getTime() - task.createdAt.getTime())} after submit`
    : '';
  const lastRan =
    task.startedAt && task.finishedAt
      ? `, the last ran ${formatDuration(task.finishedAt.getTime() - task.startedAt.getTime())}`
      : '';
  const attempts = `${task.attempt} attempt${task.attempt === 1 ? '' : 's'}${lastRan}`;
  if (task.status === 'completed') {
    return `completed${total} (${attempts}); output: ${formatValue(task.output)}`;
  }
  const error = task.error ? `: ${task.error.code}: ${task.error.message}` : '';
  return `${task.status}${total} (${attempts})${error}`;
}

async function waitFor(mill: TaskAccess, task: TaskView, json: boolean): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const bar = json ? null : new ProgressBar(process.stdout);
  try {
    const final = await watchTask(mill, task.id, (t) => bar?.update(t), {
      signal: controller.signal,
    });
    bar?.end();
    if (final === null) {
      process.stderr.write(
        `stopped waiting; task ${task.id} goes on (see: taskmill show ${task.id})\n`,
      );
      return EXIT.interrupted;
    }
    await write(json ? toJson(final) : summary(final));
    return exitCodeForStatus(final.status);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export async function submitCommand(
  type: string,
  flags: SubmitFlags,
  globals: GlobalOptions,
): Promise<number> {
  const { input, options } = parseSubmitFlags({ ...flags, input: await inputText(flags.input) });
  return withSession(globals, { needsDefinitions: true }, async (session) => {
    const task = await session.mill.submit(type, input, options);
    if (flags.wait) {
      if (!flags.json) await write(`submitted ${task.id} (${task.type}); waiting for it to finish`);
      return waitFor(session.mill, task, flags.json === true);
    }
    await write(
      flags.json
        ? toJson(task)
        : `submitted ${task.id} (${task.type}, ${task.status}, queue ${task.queue}, priority ${task.priority})`,
    );
    return EXIT.ok;
  });
}

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('Submit a task; with --wait, follow it to the end')
    .argument('<type>', 'task type, as defined in the tasks module')
    .option('-i, --input <json>', 'task input: JSON, @file for a file of JSON, - for stdin', '{}')
    .option('--name <name>', 'a name for people (1..200 characters), shown by ls and show')
    .option('-p, --priority <priority>', 'critical, high, normal, low or 0..3')
    .option('--delay <ms>', 'do not start before this many milliseconds from now')
    .option('--run-at <time>', 'do not start before this time (ISO 8601, or ms since 1970)')
    .option('--timeout <duration>', "this task's hard timeout, in place of its type's (30s, 5m)")
    .option(
      '--soft-timeout <duration>',
      "this task's soft timeout (a warning), in place of its type's",
    )
    .option('-q, --queue <queue>', "queue to put it on (default: the type's queue)")
    .option('--idempotency-key <key>', 'a second submit with this key returns the first task')
    .option('--max-attempts <n>', "attempts in all (default: the type's retry policy)")
    .option('--depends-on <ids>', 'comma-separated task ids that must complete first')
    .option('-w, --wait', 'wait until the task finishes; exit code by its final status')
    .option('--json', 'print the task as JSON')
    .action(async (type: string, flags: SubmitFlags, command: Command) => {
      process.exitCode = await submitCommand(type, flags, globalsOf(command));
    });
}
