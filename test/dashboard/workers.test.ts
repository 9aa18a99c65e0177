/**
 * The Workers page in a real browser against a real server: a worker started by the test is
 * listed with its name, state and load, holds the task it runs (a link to the task), and lets
 * go of it on the page, live, once the task is cancelled.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../src/client/client.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

describe.each([SQLITE, POSTGRES])('the Workers page on $name', { timeout: 60_000 }, (backend) => {
  // A browser on a busy two-core machine: each step waits on a signal, but they add up.
  const api = useApi(backend);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('lists a running worker with the task it holds, live', async () => {
    const { mill, server } = await api(apiTasks);
    const worker = await mill.startWorker({
      name: 'browser-test-worker',
      concurrency: 2,
      handleSignals: false,
      shutdownGraceMs: 100,
    });
    const task = await mill.submit('sleep', { ms: 60_000 });
    const client = createClient({ url: server.url });
    await expect.poll(async () => (await client.get(task.id)).status).toBe('running');

    const watched = await open(`${server.url}/workers`);
    const { page } = watched;
    const card = page.locator(`[data-testid="worker-card"][data-worker-id="${worker.id}"]`);
    await card.waitFor({ state: 'visible' });
    expect(await card.locator('h2').textContent()).toBe('browser-test-worker');
    expect(await card.locator('.badge').getAttribute('data-status')).toBe('online');
    // The load is the worker's own report, sent with its heartbeat (every 2 s here), which no
    // event announces: the page's 5 s read brings it.
    const load = () => card.getByTestId('worker-load').textContent();
    await expect.poll(load, { timeout: 10_000 }).toBe('1 / 2 running');

    const held = card.locator(`[data-testid="worker-tasks"] [data-task-id="${task.id}"]`);
    await held.waitFor({ state: 'visible' });
    expect(await held.locator('a').getAttribute('href')).toBe(`/tasks/${task.id}`);
    // The running tasks' list gives the held task its type.
    await expect.poll(() => held.locator('a').textContent()).toMatch(/^sleep /);
    expect(await page.getByTestId('workers-online').textContent()).toBe('1');

    await client.cancel(task.id);
    await held.waitFor({ state: 'detached' });
    await expect.poll(load, { timeout: 10_000 }).toBe('0 / 2 running');
    watched.expectClean();
  });
});
