import { readFile } from 'node:fs/promises';
import { cliInputError } from './parse-options.ts';

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The text of `--input`: the JSON itself, `@path` for a file's contents, or `-` for standard
 * input (as curl reads `-d @file`), so a large or generated input needs no shell quoting.
 */
export async function inputText(
  value: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (value === '-') return readStdin(stdin);
  if (!value.startsWith('@')) return value;
  const file = value.slice(1);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw cliInputError(
      `--input @${file}: cannot read the file (${reason}); give a path to a JSON file, "-" for standard input, or the JSON itself.`,
      { option: '--input', file, reason },
    );
  }
}
