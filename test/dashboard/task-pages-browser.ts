/**
 * The browser of the task pages' tests: test/helpers/browser.ts's, with a step deadline shorter
 * than a test's, so a step that waits in vain fails naming what it waited for (the machine may be
 * busy: a step gets 15 s, a test 90 s). `expect.poll` gets the step's deadline too: its
 * default (1 s) is shorter than one read of a page on a loaded machine.
 */
import { vi } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';

export const STEP_MS = 15_000;
export const TEST_MS = 90_000;

export function useTaskBrowser(): ReturnType<typeof useBrowser> {
  vi.setConfig({ expect: { poll: { timeout: STEP_MS, interval: 50 } } });
  const open = useBrowser();
  return async (url, options) => {
    const watched = await open(url, options);
    watched.page.setDefaultTimeout(STEP_MS);
    return watched;
  };
}
