/**
 * A task's page in a browser against a real server: the actions its status allows (cancel a
 * running task, pause, resume, change priority, retry a failed one) acting on the server, every
 * attempt with its error and stack, and an artifact downloaded with its bytes intact.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { TEST_MS, useTaskBrowser } from './task-pages-browser.ts';
import { gates, pageTasks } from './task-pages-fixture.ts';

const statusOf = (page: Page) =>
  page.locator('.task-summary [data-status]').getAttribute('data-status');

describe.each([SQLITE, POSTGRES])('the task page on $name', { timeout: TEST_MS }, (backend) => {
  const start = useApi(backend);
  const open = useTaskBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('cancels a running task with two presses, and the worker stops it', async () => {
    const api = await start(pageTasks);
    const task = await api.mill.submit('page.gated', { gate: randomUUID() });
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      const watched = await open(`${api.server.url}/tasks/${task.id}`);
      const { page } = watched;
      await expect.poll(() => statusOf(page)).toBe('running');
      const cancel = page.getByTestId('task-cancel').getByRole('button');
      await cancel.click();
      // The first press only asks; nothing has changed yet.
      expect(await cancel.textContent()).toBe('Stop it?');
      expect((await api.mill.get(task.id)).status).toBe('running');
      await cancel.click();
      await expect.poll(() => statusOf(page)).toBe('cancelled');
      expect((await api.mill.get(task.id)).status).toBe('cancelled');
      // An ended task offers retry, no cancel.
      await page.getByTestId('task-retry').waitFor();
      expect(await page.getByTestId('task-cancel').count()).toBe(0);
      watched.expectClean();
    } finally {
      await worker.stop();
    }
  });

  it('changes the priority of a waiting task, pauses and resumes it', async () => {
    const api = await start(pageTasks);
    const task = await api.mill.submit('page.gated', { gate: randomUUID() });
    const watched = await open(`${api.server.url}/tasks/${task.id}`);
    const { page } = watched;
    await expect.poll(() => statusOf(page)).toBe('queued');
    await page.getByTestId('task-priority').selectOption('critical');
    await expect.poll(async () => (await api.mill.get(task.id)).priority).toBe('critical');

    await page.getByTestId('task-pause').click();
    await expect.poll(() => statusOf(page)).toBe('paused');
    expect((await api.mill.get(task.id)).status).toBe('paused');
    expect(await page.getByTestId('task-pause').count()).toBe(0);

    await page.getByTestId('task-resume').click();
    await expect.poll(() => statusOf(page)).toBe('queued');
    expect((await api.mill.get(task.id)).status).toBe('queued');
    // The history records each, with the reason the page gave.
    const history = await api.mill.history(task.id);
    expect(history.map((h) => [h.to, h.reason])).toEqual([
      ['queued', expect.any(String)],
      ['queued', expect.stringContaining('priority')],
      ['paused', 'paused from the dashboard'],
      ['queued', 'resumed from the dashboard'],
    ]);
    watched.expectClean();
  });

  it('shows every attempt with its error and stack, and retries a failed task', async () => {
    const api = await start(pageTasks);
    const task = await api.mill.submit('page.failing', { message: 'the disk is full' });
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      await api.mill.wait(task.id, { timeoutMs: 10_000 });
      const watched = await open(`${api.server.url}/tasks/${task.id}`);
      const { page } = watched;
      await expect.poll(() => statusOf(page)).toBe('failed');
      const attempts = page.getByTestId('task-attempts');
      await attempts.locator('li').first().waitFor();
      expect(await attempts.locator('li').count()).toBe(1);
      expect(await attempts.textContent()).toContain('the disk is full');
      // The stack is there, folded.
      const stack = attempts.locator('details pre');
      expect(await stack.isVisible()).toBe(false);
      await attempts.locator('summary').first().click();
      expect(await stack.textContent()).toContain('Error: the disk is full');
      expect(await page.getByTestId('task-error').textContent()).toContain('the disk is full');

      await page.getByTestId('task-retry').click();
      // A new attempt runs and fails again: two attempts now, each with its error.
      await expect.poll(() => attempts.locator('li').count()).toBe(2);
      await expect.poll(() => statusOf(page)).toBe('failed');
      expect(await attempts.getByTestId('attempt-error').count()).toBe(2);
      watched.expectClean();
    } finally {
      await worker.stop();
    }
  });

  it('downloads an artifact with its bytes as stored', async () => {
    const api = await start(pageTasks);
    const text = `artifact ${randomUUID()}`;
    const task = await api.mill.submit('page.echo', { text });
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      await api.mill.wait(task.id, { timeoutMs: 10_000 });
    } finally {
      await worker.stop();
    }
    const watched = await open(`${api.server.url}/tasks/${task.id}`);
    const { page } = watched;
    const artifacts = page.getByTestId('task-artifacts');
    await artifacts.locator('li').first().waitFor();
    expect(await artifacts.textContent()).toContain('echo.html');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      artifacts.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('echo.html');
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toBe(text);
    watched.expectClean();
  });
});

// Keep the gates module's handlers from waiting past the file: every gate a test left shut
// belongs to a task its worker has stopped, so nothing waits on it.
void gates;
