/**
 * The tasks table in a browser against a real server: filters kept in the address, numbered
 * pages with the total, rows that follow the server live without a reload, bulk cancel and retry
 * of the whole filtered set (not the page), and no change control for a read-only token.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseTokens } from '../../src/server/auth.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import type { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';
import { TEST_MS, useTaskBrowser } from './task-pages-browser.ts';
import { gates, pageTasks } from './task-pages-fixture.ts';

const ROWS = '[data-testid="tasks-table"] tbody tr';
const rowIds = (page: Page) =>
  page.locator(ROWS).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task-id')));
const query = (page: Page) => new URL(page.url()).searchParams;

/** The list's filter, search, sort and pages read the store: run on each kind of store. */
async function filtersAndPages(
  start: ReturnType<typeof useApi>,
  open: ReturnType<typeof useBrowser>,
): Promise<void> {
  const api = await start(pageTasks);
  const many = await api.mill.submitMany(
    Array.from({ length: 60 }, (_, i) => ({
      type: 'page.bounded' as const,
      input: { count: 1 + (i % 10) },
      options: { name: `bulk ${i}` },
    })),
  );
  const odd = await api.mill.submit('page.failing', { message: 'needle in the input' });
  const watched = await open(`${api.server.url}/tasks`);
  const { page } = watched;
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('1–50 of 61');
  expect(await page.locator(ROWS).count()).toBe(50);

  // Page 2 by its number: the last 11, oldest last.
  await page.getByTestId('tasks-pager').getByRole('link', { name: 'Page 2' }).click();
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('51–61 of 61');
  expect(query(page).get('page')).toBe('2');
  expect((await rowIds(page)).at(-1)).toBe(many[0]?.id);

  // A filter goes to the address and back to page 1.
  await page.locator('#tasks-type').selectOption('page.failing');
  await expect.poll(() => rowIds(page)).toEqual([odd.id]);
  expect(query(page).get('type')).toBe('page.failing');
  expect(query(page).get('page')).toBeNull();

  // Search reaches the input's text; sort and order go to the address too.
  await page.locator('#tasks-type').selectOption('');
  await page.locator('#tasks-q').fill('needle');
  await page.locator('#tasks-q').press('Enter');
  await expect.poll(() => rowIds(page)).toEqual([odd.id]);
  expect(query(page).get('q')).toBe('needle');
  await page.locator('#tasks-q').fill('');
  await page.locator('#tasks-q').press('Enter');
  await page.locator('#tasks-sort').selectOption('createdAt');
  await page.getByRole('combobox', { name: 'Order' }).selectOption('asc');
  await expect.poll(() => query(page).get('order')).toBe('asc');
  await expect.poll(async () => (await rowIds(page))[0]).toBe(many[0]?.id);

  // Statuses, several at once, from the menu.
  await page.getByTestId('status-filter').locator('summary').click();
  await page.getByTestId('status-filter').getByLabel('queued').check();
  await expect.poll(() => query(page).getAll('status')).toEqual(['queued']);
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('1–50 of 61');
  await page.getByTestId('status-filter').getByLabel('failed').check();
  await expect.poll(() => query(page).getAll('status')).toEqual(['queued', 'failed']);

  // The address alone brings the same view back (a bookmark, a reload).
  await page.goto(`${api.server.url}/tasks?name=bulk%205&sort=createdAt&order=asc`);
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('1–11 of 11');
  expect(await page.locator('#tasks-name').inputValue()).toBe('bulk 5');

  // Clear filters drops the name and keeps the sort and order.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('1–50 of 61');
  // (createdAt is the default sort, so the address names only the order.)
  expect([...query(page).entries()]).toEqual([['order', 'asc']]);
  expect(await page.locator('#tasks-name').inputValue()).toBe('');
  await page.goto(`${api.server.url}/tasks?name=bulk%205&sort=createdAt&order=asc`);
  await expect.poll(() => page.getByTestId('tasks-total').textContent()).toBe('1–11 of 11');

  // A row is reached with the keyboard and opens its task.
  const first = page.locator(ROWS).first();
  const id = await first.getAttribute('data-task-id');
  await first.getByRole('link').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/tasks/${id}`);
  watched.expectClean();
}

describe('the tasks table', { timeout: TEST_MS }, () => {
  const start = useApi(SQLITE);
  const open = useTaskBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('filters, searches, sorts and pages, keeping it all in the address', () =>
    filtersAndPages(start, open));

  it('follows status and progress live without a reload, the row staying in place', async () => {
    const api = await start(pageTasks);
    const gate = randomUUID();
    const task = await api.mill.submit('page.gated', { gate }, { name: 'live one' });
    const watched = await open(`${api.server.url}/tasks`);
    const { page } = watched;
    const row = page.locator(`${ROWS}[data-task-id="${task.id}"]`);
    const badge = row.locator('[data-status]');
    await expect.poll(() => badge.getAttribute('data-status')).toBe('queued');
    // Marked in the page: a reload or a new row would lose the mark.
    await row.evaluate((el) => el.setAttribute('data-seen', 'yes'));
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      await expect.poll(() => badge.getAttribute('data-status')).toBe('running');
      await expect.poll(() => row.textContent()).toContain('50 %');
      gates.open(gate);
      await expect.poll(() => badge.getAttribute('data-status')).toBe('completed');
    } finally {
      await worker.stop();
    }
    expect(await row.getAttribute('data-seen')).toBe('yes');
    watched.expectClean();
  });

  it('cancels the whole filtered set, past the first page, and says what it did', async () => {
    const api = await start(pageTasks);
    const batch = await api.mill.submitMany(
      Array.from({ length: 55 }, () => ({
        type: 'page.bounded' as const,
        input: { count: 1 },
        options: { name: 'batch-a' },
      })),
    );
    const others = await api.mill.submitMany(
      Array.from({ length: 3 }, () => ({
        type: 'page.bounded' as const,
        input: { count: 1 },
        options: { name: 'batch-b' },
      })),
    );
    const watched = await open(`${api.server.url}/tasks?name=batch-a`);
    const { page } = watched;
    const bulk = page.getByTestId('bulk-actions');
    const cancel = bulk.getByRole('button', { name: /^Cancel/ });
    await expect.poll(() => cancel.textContent()).toBe('Cancel 55');
    await cancel.click();
    expect(await cancel.textContent()).toBe('Cancel 55 tasks?');
    await cancel.click();
    await expect
      .poll(() => page.getByTestId('bulk-result').textContent())
      .toBe('Cancelled 55 · skipped 0 (changed meanwhile)');
    const statuses = async (ids: { id: string }[]) =>
      new Set(await Promise.all(ids.map(async (t) => (await api.mill.get(t.id)).status)));
    expect(await statuses(batch)).toEqual(new Set(['cancelled']));
    expect(await statuses(others)).toEqual(new Set(['queued']));
    // The table follows: every row of the filter is cancelled, and nothing is left to cancel.
    await expect.poll(() => cancel.textContent()).toBe('Cancel 0');
    await expect
      .poll(() =>
        page
          .locator(`${ROWS} [data-status]`)
          .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-status')))]),
      )
      .toEqual(['cancelled']);
    watched.expectClean();
  });

  it('retries the failed tasks of the filter', async () => {
    const api = await start(pageTasks);
    const failed = await api.mill.submitMany(
      Array.from({ length: 3 }, (_, i) => ({
        type: 'page.failing' as const,
        input: { message: `boom ${i}` },
      })),
    );
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      for (const t of failed) await api.mill.wait(t.id, { timeoutMs: 10_000 });
    } finally {
      await worker.stop();
    }
    const watched = await open(`${api.server.url}/tasks?status=failed`);
    const { page } = watched;
    const retry = page.getByTestId('bulk-actions').getByRole('button', { name: /^Retry/ });
    await expect.poll(() => retry.textContent()).toBe('Retry 3');
    await retry.click();
    await retry.click();
    await expect
      .poll(() => page.getByTestId('bulk-result').textContent())
      .toBe('Retried 3 · skipped 0 (changed meanwhile)');
    for (const t of failed) expect((await api.mill.get(t.id)).status).toBe('queued');
    watched.expectClean();
  });

  it('offers no change to a token that may only read', async () => {
    const token = `read-only-${randomUUID()}`;
    const api = await start(pageTasks, { tokens: parseTokens(`${token}:read`, 'test') });
    const task = await api.mill.submit('page.gated', { gate: randomUUID() });
    // The refused access check before signing in is the browser's to log.
    const watched = await open(`${api.server.url}/tasks`, { allowConsole: [/status of 401/] });
    const { page } = watched;
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`${ROWS}[data-task-id="${task.id}"]`).waitFor();
    expect(await page.getByTestId('bulk-actions').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Submit a task' }).count()).toBe(0);
    await page.locator(`${ROWS}[data-task-id="${task.id}"]`).getByRole('link').click();
    await page.getByTestId('task-detail').waitFor();
    expect(await page.getByTestId('task-actions').count()).toBe(0);
    watched.expectClean();
  });
});

describe('the tasks table on PostgreSQL', { timeout: TEST_MS }, () => {
  const start = useApi(POSTGRES);
  const open = useTaskBrowser();

  it('filters, searches, sorts and pages the same', () => filtersAndPages(start, open));
});
