/**
 * The Overview in a real browser against a real server: the counts by status are the ones the
 * API reports for what the test submitted, they follow a new task live, the throughput chart
 * draws the hour's bars on its canvas, and the other cards show the worker and queue.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../src/client/client.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

const count = (page: Page, status: string) => page.getByTestId(`count-${status}`).textContent();

/** What the test reads of the canvas (the root tsconfig has no DOM types). */
interface Canvas2d {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** Pixels of the chart's canvas whose colour is the completed bars' green (not the grey of
 * the grid and axes): how a test sees that bars were drawn. */
function greenPixels(page: Page): Promise<number> {
  return page
    .getByTestId('throughput-chart')
    .locator('canvas')
    .evaluate((element) => {
      const canvas = element as unknown as Canvas2d;
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let green = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
        if (a > 0 && g > r + 40 && g > b + 30) green++;
      }
      return green;
    });
}

describe.each([SQLITE, POSTGRES])('the Overview page on $name', { timeout: 60_000 }, (backend) => {
  // A browser on a busy two-core machine: each step waits on a signal, but they add up.
  const api = useApi(backend);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('shows the counts the API reports, follows them live, and draws the chart', async () => {
    const { mill, server } = await api(apiTasks);
    const client = createClient({ url: server.url });
    const worker = await mill.startWorker({ name: 'overview-worker', handleSignals: false });
    const done = await Promise.all([
      client.submit('image.resize', { url: 'https://example.com/a.png', width: 10 }),
      client.submit('image.resize', { url: 'https://example.com/b.png', width: 20 }),
      client.submit('image.resize', { url: 'https://example.com/c.png', width: 30 }),
      client.submit('always.fail', {}),
    ]);
    await Promise.all(done.map((t) => client.wait(t.id, { timeoutMs: 20_000 })));
    // Two that wait an hour: queued, in the default queue.
    await client.submit('sleep', { ms: 1 }, { delayMs: 3_600_000 });
    await client.submit('sleep', { ms: 1 }, { delayMs: 3_600_000 });
    const stats = await client.stats();
    expect(stats.byStatus).toMatchObject({ completed: 3, failed: 1, queued: 2 });

    const watched = await open(`${server.url}/`);
    const { page } = watched;
    await expect.poll(() => count(page, 'completed')).toBe('3');
    expect(await count(page, 'failed')).toBe('1');
    expect(await count(page, 'queued')).toBe('2');
    expect(await count(page, 'running')).toBe('0');
    expect(
      await page
        .locator('[data-testid="status-counts"] a[data-status="failed"]')
        .getAttribute('href'),
    ).toBe('/tasks?status=failed');

    // The chart: drawn by uPlot, with this hour's completed bar in green on the canvas.
    await page.locator('[data-testid="throughput-chart"] .uplot[data-drawn="true"]').waitFor();
    await expect.poll(() => greenPixels(page)).toBeGreaterThan(20);
    const box = await page.getByTestId('throughput-chart').locator('canvas').boundingBox();
    expect(box?.height).toBeGreaterThan(100);

    // The cards fed by other calls: the worker online, the failing type, the queue.
    await expect.poll(() => page.getByTestId('workers-online').textContent()).toBe('1');
    await expect
      .poll(() => page.getByTestId('overview-workers').textContent())
      .toContain('overview-worker');
    expect(await page.getByTestId('overview-failing').textContent()).toContain('always.fail');
    expect(await page.getByTestId('overview-queues').textContent()).toContain('default');

    // Live: a new task that completes moves the count without a reload.
    const next = await client.submit('image.resize', {
      url: 'https://example.com/d.png',
      width: 5,
    });
    await client.wait(next.id, { timeoutMs: 20_000 });
    await expect.poll(() => count(page, 'completed'), { timeout: 10_000 }).toBe('4');
    await worker.stop({ graceMs: 100 });
    watched.expectClean();
  });

  it('keeps its layout still while the answers arrive', async () => {
    const { mill, server } = await api(apiTasks);
    await mill.submit('sleep', { ms: 1 }, { delayMs: 3_600_000 });
    const watched = await open(`${server.url}/queues`);
    const { page } = watched;
    await page.getByTestId('queues-table').waitFor();
    // Hold every answer the overview asks for until the empty layout has been measured.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/api\/v1\/(stats|queues|workers|schedules|pipelines)/, async (route) => {
      await gate;
      await route.continue();
    });
    await page.getByRole('link', { name: 'Overview' }).click();
    const cards = ['overview-queues', 'overview-schedules', 'overview-pipelines'];
    const chart = page.getByTestId('throughput-chart');
    await chart.waitFor({ state: 'visible' });
    expect(await count(page, 'queued')).toBe('—');
    const boxes = async () =>
      Promise.all([chart, ...cards.map((id) => page.getByTestId(id))].map((l) => l.boundingBox()));
    const before = await boxes();
    release();
    await expect.poll(() => count(page, 'queued')).toBe('1');
    await expect
      .poll(() => page.getByTestId('overview-pipelines').textContent())
      .toContain('No pipeline is running.');
    await expect.poll(() => page.getByTestId('overview-queues').textContent()).toContain('default');
    expect(await boxes()).toEqual(before);
    watched.expectClean();
  });
});
