/**
 * The library in one file: define a typed task, submit it, run a worker, wait for the result.
 * Run it with `npx node examples/library.ts` (a test runs it and checks what it prints).
 */
import { createTaskmill, defineTask } from 'taskmill';
import { z } from 'zod';

const wordCount = defineTask({
  name: 'text.word-count',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ words: z.number() }),
  retry: { kind: 'exponential', delayMs: 200, maxAttempts: 3 },
  timeout: { softMs: 1_000, hardMs: 5_000 },
  async run({ text }, ctx) {
    ctx.log.info(`counting ${text.length} characters`);
    const words = text.split(/\s+/).filter(Boolean).length;
    ctx.progress(100, 'counted');
    await ctx.artifacts.put('words.txt', String(words));
    return { words };
  },
});

const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: [wordCount] });
await mill.startWorker({ concurrency: 4, handleSignals: false });

const task = await mill.submit(
  'text.word-count',
  { text: 'the quick brown fox' },
  { priority: 'high' },
);
const done = await mill.wait(task.id, { timeoutMs: 10_000 });
console.log(`${done.type} ${done.status}: ${JSON.stringify(done.output)}`);

try {
  await mill.submit('text.word-count', { text: '' });
} catch (error) {
  console.log(`rejected: ${(error as { code: string }).code}`);
}
await mill.close();
