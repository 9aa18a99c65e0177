/**
 * Task types for the browser tests of the task pages (tasks table, task detail, submit form,
 * inert rendering). `page.gated` stops half-way until the test opens its gate, so a page can be
 * looked at while the task runs; the others each show one thing the pages render.
 */
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';

/** Gates by key, opened by the test; a handler waiting on one stops at the task's signal too. */
export class Gates {
  #open = new Map<string, () => void>();
  #promises = new Map<string, Promise<void>>();

  wait(key: string, signal: AbortSignal): Promise<void> {
    let promise = this.#promises.get(key);
    if (!promise) {
      promise = new Promise<void>((resolve) => this.#open.set(key, resolve));
      this.#promises.set(key, promise);
    }
    return new Promise((resolve, reject) => {
      const stop = () => reject(signal.reason);
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      promise.then(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      });
    });
  }

  open(key: string): void {
    if (!this.#promises.has(key)) this.#promises.set(key, Promise.resolve());
    this.#open.get(key)?.();
  }
}

export const gates = new Gates();

export const gated = defineTask({
  name: 'page.gated',
  description: 'Reports half its progress, then waits for the test to open its gate',
  input: z.object({ gate: z.string().min(1).describe('The gate it waits on') }),
  retry: { kind: 'fixed', delayMs: 1, maxAttempts: 1 },
  run: async (input, ctx) => {
    ctx.progress(50, 'half way');
    ctx.log.info(`waiting on gate ${input.gate}`);
    await gates.wait(input.gate, ctx.signal);
    ctx.progress(100, 'done');
    ctx.log.info('gate opened');
    return { gate: input.gate };
  },
});

/** Bounds a browser lets through with `noValidate`, so the API is the one to refuse them. */
export const bounded = defineTask({
  name: 'page.bounded',
  description: 'A form with every kind of field',
  input: z.object({
    count: z.number().int().min(1).max(10).describe('How many, 1 to 10'),
    label: z.string().min(1).max(40).default('first'),
    mode: z.enum(['fast', 'slow']).default('slow'),
    when: z.iso.datetime().optional(),
    tags: z.array(z.string().min(2)).optional(),
    nested: z.object({ on: z.boolean().default(true), ratio: z.number().min(0).max(1) }).optional(),
    extra: z.record(z.string(), z.number()).optional(),
  }),
  run: (input) => ({ count: input.count }),
});

/** Fails with a message and a stack; one attempt, so it ends `failed` at once. */
export const failing = defineTask({
  name: 'page.failing',
  input: z.object({ message: z.string() }),
  retry: { kind: 'fixed', delayMs: 1, maxAttempts: 1 },
  run: (input) => {
    throw new Error(input.message);
  },
});

/** Logs what it is given, keeps it as an artifact, and fails with it: text from a task that
 * a page must show as text. */
export const echo = defineTask({
  name: 'page.echo',
  input: z.object({ text: z.string() }),
  retry: { kind: 'fixed', delayMs: 1, maxAttempts: 1 },
  run: async (input, ctx) => {
    ctx.log.warn(input.text);
    ctx.progress(30, input.text);
    await ctx.artifacts.put('echo.html', input.text);
    throw new Error(input.text);
  },
});

export const pageTasks = [gated, bounded, failing, echo] as const;
