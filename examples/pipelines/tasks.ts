/**
 * Seed 004's "double" pipeline (step1 → step2, each multiplying by two) in each of its four
 * execution modes, as taskmill writes them. Definitions only: thread and process pools import
 * this module to find the handlers, so it must not open a taskmill itself (run.ts does).
 */
import { definePipeline, defineTask } from 'taskmill';
import { z } from 'zod';

const double = (executor: 'inline' | 'thread' | 'process') =>
  defineTask({
    name: `multiply.${executor}`,
    executor,
    input: z.number(),
    output: z.number(),
    run: (x) => x * 2,
  });

export const multiplyInline = double('inline');
export const multiplyInThreads = double('thread');
export const multiplyInProcesses = double('process');

/** SEQUENTIAL: one step at a time, in dependency order. */
export const sequential = definePipeline({
  name: 'double-sequential',
  input: z.number(),
  mode: 'sequential',
  steps: {
    step1: { task: multiplyInline },
    step2: { task: multiplyInline, dependsOn: ['step1'] },
  },
});

/** PARALLEL_THREAD: every ready step at once, each task in a pool of worker threads. */
export const parallelThreads = definePipeline({
  name: 'double-threads',
  input: z.number(),
  steps: {
    step1: { task: multiplyInThreads },
    step2: { task: multiplyInThreads, dependsOn: ['step1'] },
  },
});

/** PARALLEL_PROCESS: every ready step at once, each task in a pool of child processes. */
export const parallelProcesses = definePipeline({
  name: 'double-processes',
  input: z.number(),
  steps: {
    step1: { task: multiplyInProcesses },
    step2: { task: multiplyInProcesses, dependsOn: ['step1'] },
  },
});

/** BATCH: one run over a whole list; each step maps over it, at most 4 items at once, and the
 * step after receives the results in item order. */
export const batch = definePipeline({
  name: 'double-batch',
  input: z.array(z.number()),
  steps: {
    step1: { task: multiplyInline, map: { over: (ctx) => ctx.input, concurrency: 4 } },
    step2: {
      task: multiplyInline,
      dependsOn: ['step1'],
      map: { over: (ctx) => ctx.outputs['step1'] as number[], concurrency: 4 },
    },
  },
});
