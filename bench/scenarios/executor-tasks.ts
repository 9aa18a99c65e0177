/**
 * The executor benchmark's task types, each defined once per executor: `cpu.<kind>` and
 * `noop.<kind>` for `inline`, `thread` and `process`. Thread and process pools import this file
 * to find the handlers, so it has no side effects: no mill is opened here.
 */
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { defineTask, type ExecutorKind } from '../../src/index.ts';

export const EXECUTOR_KINDS = [
  'inline',
  'thread',
  'process',
] as const satisfies readonly ExecutorKind[];

/** The CPU task's fixed work: a chain of SHA-256 digests, each over the last one and 1 MiB. */
export const HASHES_PER_TASK = 48;
export const HASHED_BYTES = 1024 * 1024;
const block = Buffer.alloc(HASHED_BYTES, 0x5a);

/** About 30 ms of one core on the project's machine (SHA-256 runs at ~1.6 GB/s there). */
function hashChain(seed: number, hashes: number): string {
  let digest: Buffer = Buffer.from(String(seed));
  for (let k = 0; k < hashes; k++) {
    digest = createHash('sha256').update(digest).update(block).digest();
  }
  return digest.toString('hex');
}

const input = z.object({ i: z.number() });
/** `hashes` is left out by the benchmark (the fixed amount); a run by hand may ask for more. */
const cpuInput = z.object({
  i: z.number(),
  hashes: z.number().int().positive().default(HASHES_PER_TASK),
});

function make(executor: ExecutorKind) {
  return [
    defineTask({
      name: `cpu.${executor}`,
      executor,
      input: cpuInput,
      // Says where and when it ran, so that the scenario can see how long a member waits
      // between two tasks.
      run: ({ i, hashes }) => {
        const started = performance.now();
        const digest = hashChain(i, hashes);
        const ended = performance.now();
        return {
          digest,
          ms: ended - started,
          member: `${process.pid}:${threadId}`,
          startedAt: performance.timeOrigin + started,
          endedAt: performance.timeOrigin + ended,
        };
      },
    }),
    defineTask({
      name: `noop.${executor}`,
      executor,
      input,
      run: (value) => value,
    }),
  ] as const;
}

export const executorBenchTasks = EXECUTOR_KINDS.flatMap((kind) => make(kind));
