/**
 * Wait until `check` returns a value other than undefined/false, re-checking on each turn of the
 * event loop and every `everyMs`; fails with `what` after `timeoutMs`. For conditions that have
 * no event of their own (a child process's effect on a shared database). `what` may be a function,
 * read at the timeout: a child's output so far, say, which the call's moment would not show.
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
