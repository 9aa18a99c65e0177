#!/usr/bin/env node
/**
 * The `taskmill` command. Every failure ends here: one line `error CODE: message` on stderr and an
 * exit code from `exit-codes.ts`, so scripts can tell bad input from a missing task from a broken
 * database without parsing text.
 */
import { CommanderError } from 'commander';
import { TaskmillError } from '../core/errors.ts';
import { EXIT, exitCodeForError } from './exit-codes.ts';
import { buildProgram } from './program.ts';

const { TASKMILL_DEBUG } = process.env;
const DEBUG = TASKMILL_DEBUG === '1';

function fail(code: string, message: string, exitCode: number, error?: unknown): number {
  process.stderr.write(`error ${code}: ${message}\n`);
  if (DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCode;
}

export function report(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return EXIT.ok;
    if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
      return fail('CLI_INPUT_INVALID', 'no command given (usage above)', EXIT.badInput);
    }
    const message = error.message.replace(/^error: /, '');
    return fail('CLI_INPUT_INVALID', `${message} (see taskmill --help)`, EXIT.badInput, error);
  }
  if (error instanceof TaskmillError) {
    return fail(error.code, error.message, exitCodeForError(error.code), error);
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = DEBUG ? '' : ' (set TASKMILL_DEBUG=1 for the stack trace)';
  return fail('UNEXPECTED', `${message}${hint}`, EXIT.unexpected, error);
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return report(error);
  }
}

const code = await main(process.argv);
// Exit explicitly: a timer left behind by a library must not keep a one-shot command alive. The
// empty write resolves once everything before it is handed to the OS.
process.stdout.write('', () => process.exit(code));
