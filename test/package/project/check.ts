// Compiled with `tsc --noEmit` against the installed package's .d.ts files. The types must be
// real: each @ts-expect-error fails the compile if the line it marks type-checks, as it would if
// the package's types were missing or `any`.
import { createTaskmill, defineTask, TaskmillError } from 'taskmill';
import { z } from 'zod';

const greet = defineTask({
  name: 'hello.greet',
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ greeting: z.string() }),
  async run({ name }, ctx) {
    ctx.progress(100, 'greeted');
    return { greeting: `Hello, ${name}!` };
  },
});

export async function main(): Promise<string | undefined> {
  const mill = await createTaskmill({ database: 'sqlite:./check.db', tasks: [greet] });
  const task = await mill.submit('hello.greet', { name: 'Ada' });
  const output: { greeting: string } | null = task.output;
  // @ts-expect-error: the input has the schema's type
  await mill.submit('hello.greet', { name: 42 });
  // @ts-expect-error: only the task types given to createTaskmill
  await mill.submit('hello.greeet', { name: 'Ada' });
  await mill.close();
  return output?.greeting;
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof TaskmillError ? error.code : undefined;
}
