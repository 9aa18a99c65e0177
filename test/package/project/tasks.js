// A user's tasks module in plain JavaScript, one task type per executor: the thread and process
// pools load this file again by its path, and their own entry files from the installed package.
import { defineTask } from 'taskmill';
import { z } from 'zod';

export const count = defineTask({
  name: 'words.count',
  input: z.object({ text: z.string() }),
  output: z.object({ words: z.number() }),
  async run({ text }) {
    return { words: text.split(/\s+/).filter(Boolean).length };
  },
});

export const square = defineTask({
  name: 'math.square',
  executor: 'thread',
  input: z.object({ n: z.number() }),
  async run({ n }) {
    return { square: n * n };
  },
});

export const cube = defineTask({
  name: 'math.cube',
  executor: 'process',
  input: z.object({ n: z.number() }),
  async run({ n }) {
    return { cube: n * n * n };
  },
});
