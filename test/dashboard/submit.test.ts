/**
 * The submit page in a browser against a real server: the form its task type's schema generates
 * (defaults, enums, required marks, rows), the API's own validation errors beside the field they
 * name, and a task submitted through it followed on its page from queued to completed.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { TEST_MS, useTaskBrowser } from './task-pages-browser.ts';
import { gates, pageTasks } from './task-pages-fixture.ts';

/** The browser logs the API's 400 answer to a refused submit: that one is expected. */
const REFUSED = [/status of 400/];

const field = (page: Page, key: string) => page.getByTestId(`field-${key}`);
const statusOf = (page: Page) =>
  page.locator('.task-summary [data-status]').getAttribute('data-status');

async function chooseType(page: Page, type: string): Promise<void> {
  await page.getByTestId('submit-type').selectOption(type);
  await page.getByTestId('submit-form').waitFor();
}

describe.each([SQLITE, POSTGRES])('the submit page on $name', { timeout: TEST_MS }, (backend) => {
  const start = useApi(backend);
  const open = useTaskBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('fills the form from the schema: defaults, enum choices, required marks, help, rows', async () => {
    const api = await start(pageTasks);
    const watched = await open(`${api.server.url}/submit`);
    const { page } = watched;
    await chooseType(page, 'page.bounded');
    expect(new URL(page.url()).pathname).toBe('/submit/page.bounded');

    const count = field(page, 'input.count').locator('input');
    expect(await count.getAttribute('type')).toBe('number');
    expect(await count.getAttribute('min')).toBe('1');
    expect(await count.getAttribute('max')).toBe('10');
    expect(await count.getAttribute('step')).toBe('1');
    await expect
      .poll(() => field(page, 'input.count').textContent())
      .toContain('How many, 1 to 10');
    expect(await field(page, 'input.count').locator('.schema-required').count()).toBe(1);
    expect(await field(page, 'input.label').locator('.schema-required').count()).toBe(0);
    expect(await field(page, 'input.label').locator('input').inputValue()).toBe('first');
    expect(await field(page, 'input.label').locator('input').getAttribute('maxlength')).toBe('40');
    const mode = field(page, 'input.mode').locator('select');
    expect(await mode.locator('option:checked').textContent()).toBe('slow');
    expect(await field(page, 'input.when').locator('input').getAttribute('type')).toBe(
      'datetime-local',
    );
    expect(await field(page, 'input.nested.on').locator('input').isChecked()).toBe(true);
    expect(await field(page, 'input.extra').locator('textarea').count()).toBe(1);

    // Rows of a list: add two, remove the first.
    const tags = field(page, 'input.tags');
    await tags.getByRole('button', { name: /^Add/ }).click();
    await tags.getByRole('button', { name: /^Add/ }).click();
    await tags.locator('input').nth(0).fill('one');
    await tags.locator('input').nth(1).fill('two');
    await tags.getByRole('button', { name: 'Remove tags 1' }).click();
    expect(await tags.locator('input').count()).toBe(1);
    expect(await tags.locator('input').inputValue()).toBe('two');

    await count.fill('3');
    await mode.selectOption({ label: 'fast' });
    await page.getByTestId('submit-send').click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const task = await api.mill.get(id);
    // The untouched optional group (nested) and the empty JSON box (extra) were left out.
    expect(task.input).toEqual({ count: 3, label: 'first', mode: 'fast', tags: ['two'] });
    watched.expectClean();
  });

  it("shows the API's schema error beside its field, and creates nothing", async () => {
    const api = await start(pageTasks);
    const watched = await open(`${api.server.url}/submit`, { allowConsole: REFUSED });
    const { page } = watched;
    await chooseType(page, 'page.bounded');
    // The browser would refuse 50 for max=10; the form leaves judging to the API (noValidate).
    await field(page, 'input.count').locator('input').fill('50');
    await field(page, 'input.tags').getByRole('button', { name: /^Add/ }).click();
    await field(page, 'input.tags').locator('input').fill('x');
    await field(page, 'options.queue').locator('input').fill('bad queue!');
    await page.getByTestId('submit-send').click();

    const countError = page.getByTestId('field-error-input.count');
    await countError.waitFor();
    expect(await countError.textContent()).toMatch(/<=\s*10/);
    expect(await field(page, 'input.count').locator('input').getAttribute('aria-invalid')).toBe(
      'true',
    );
    // An item's error goes to its list.
    expect(await page.getByTestId('field-error-input.tags').textContent()).toMatch(/>=\s*2/);
    // The summary above the form names the code; nothing else is marked.
    expect(await page.getByTestId('submit-errors').textContent()).toContain('TASK_INPUT_INVALID');
    expect(await page.locator('[data-testid^="field-error-"]').count()).toBe(2);
    expect(new URL(page.url()).pathname).toBe('/submit/page.bounded');
    expect((await api.mill.list({ total: true })).total).toBe(0);

    // Input fixed: now the queue's name is what the API refuses, beside the queue field.
    await field(page, 'input.count').locator('input').fill('5');
    await field(page, 'input.tags').getByRole('button', { name: 'Remove tags 1' }).click();
    await page.getByTestId('submit-send').click();
    const queueError = page.getByTestId('field-error-options.queue');
    await queueError.waitFor();
    expect(await queueError.textContent()).toContain('A-Za-z0-9');
    expect(await page.getByTestId('field-error-input.count').count()).toBe(0);
    expect((await api.mill.list({ total: true })).total).toBe(0);
    watched.expectClean();
  });

  it('submits a valid task and its page shows it go queued → running → completed with progress', async () => {
    const api = await start(pageTasks);
    const gate = randomUUID();
    const watched = await open(`${api.server.url}/submit`);
    const { page } = watched;
    await chooseType(page, 'page.gated');
    await field(page, 'input.gate').locator('input').fill(gate);
    await field(page, 'options.name').locator('input').fill('watched from the form');
    await page.getByTestId('submit-send').click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await expect.poll(() => statusOf(page)).toBe('queued');
    expect(await page.locator('h1').textContent()).toBe('watched from the form');

    // No worker yet: it waits. Then one starts, and the page follows without a reload.
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      await expect.poll(() => statusOf(page)).toBe('running');
      const progress = page.getByTestId('task-progress');
      await expect.poll(() => progress.textContent()).toContain('50 %');
      expect(await progress.textContent()).toContain('half way');
      await expect
        .poll(() => page.getByTestId('task-logs').textContent())
        .toContain(`waiting on gate ${gate}`);

      gates.open(gate);
      await expect.poll(() => statusOf(page)).toBe('completed');
      await expect.poll(() => progress.textContent()).toContain('100 %');
      await expect
        .poll(() =>
          page
            .getByTestId('task-timeline')
            .locator('li')
            .evaluateAll((items) => items.map((li) => li.getAttribute('data-to'))),
        )
        .toEqual(['queued', 'running', 'completed']);
      await expect.poll(() => page.getByTestId('task-logs').textContent()).toContain('gate opened');
    } finally {
      await worker.stop();
    }
    watched.expectClean();
  });
});
