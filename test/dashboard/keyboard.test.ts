/**
 * The dashboard without a mouse: from the first page, Tab reaches the navigation and a task's
 * row in the table, and Enter follows each link; the skip link is the first stop.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

/** Press Tab until the focused element matches, at most `limit` times; its text, or null. */
async function tabTo(page: Page, matches: string, limit = 60): Promise<string | null> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    // A string, run in the page: this project's types have no DOM.
    const text = (await page.evaluate(
      `(() => { const el = document.activeElement;
        return el && el.matches(${JSON.stringify(matches)}) ? el.textContent ?? '' : null; })()`,
    )) as string | null;
    if (text !== null) return text;
  }
  return null;
}

describe('the dashboard by keyboard', { timeout: 60_000 }, () => {
  const api = useApi(SQLITE);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('reaches the navigation and a task by Tab, and follows them by Enter', async () => {
    const { mill, server } = await api(apiTasks);
    const task = await mill.submit('sleep', { ms: 1 }, { name: 'reached by keyboard' });
    const watched = await open(`${server.url}/`);
    const { page } = watched;
    await page.getByTestId('app-shell').waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');

    expect(await tabTo(page, 'nav a[href="/tasks"]')).toBe('Tasks');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/tasks`);
    await page.locator('#page-title', { hasText: 'Tasks' }).waitFor();
    await page.locator(`[data-task-id="${task.id}"]`).waitFor();

    expect(await tabTo(page, `[data-task-id="${task.id}"] a`)).not.toBeNull();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/tasks/${task.id}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('reached by keyboard');
    watched.expectClean();
  });
});
