/**
 * The pipelines pages in a real browser against a real server (SQLite): a run's graph followed
 * to its end while the page is open — steps going running → completed, a map step's items
 * counting up — with the drawing keeping its size; the runs list linking the run; and a run
 * started from the page.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { definePipeline, defineTask } from '../../src/index.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { gate } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';

/** What the test lets through: the first step, and the map's last item. */
let firstGate = gate();
let lastItemGate = gate();

const count = defineTask({
  name: 'count',
  input: z.object({ n: z.number().int() }),
  async run({ n }) {
    await firstGate.promise;
    return Array.from({ length: n }, (_, i) => i + 1);
  },
});
const square = defineTask({
  name: 'square',
  input: z.object({ x: z.number(), last: z.boolean() }),
  async run({ x, last }) {
    if (last) await lastItemGate.promise;
    return x * x;
  },
});
const sum = defineTask({
  name: 'sum',
  input: z.array(z.number()),
  run: (xs) => xs.reduce((a, b) => a + b, 0),
});
const squares = definePipeline({
  name: 'squares',
  input: z.object({ n: z.number().int().min(1) }),
  steps: {
    count: { task: count, input: (ctx) => ({ n: ctx.input.n }) },
    square: {
      task: square,
      dependsOn: ['count'],
      map: { over: (ctx) => ctx.outputs['count'] as number[], concurrency: 2 },
      input: (ctx) => {
        const list = ctx.outputs['count'] as number[];
        return { x: ctx.item as number, last: ctx.index === list.length - 1 };
      },
    },
    sum: { task: sum, dependsOn: ['square'], input: (ctx) => ctx.outputs['square'] },
  },
});
const TASKS = [count, square, sum] as const;

/** Live updates come within a second or two (events, read again at most once a second). */
const SOON = { timeout: 10_000 };

const step = (name: string) => `[data-testid="graph-step"][data-step="${name}"]`;

// A real browser on a busy two-core machine: a test may take a while; each waits on signals.
describe.each([SQLITE, POSTGRES])('the pipeline pages on $name', { timeout: 90_000 }, (backend) => {
  const api = useApi(backend);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('follow a run’s graph to its end while the page is open', async () => {
    firstGate = gate();
    lastItemGate = gate();
    const { server, mill } = await api(TASKS, {}, { pipelines: [squares] });
    await mill.startWorker({ concurrency: 4 });
    try {
      const run = await mill.pipelines.run('squares', { n: 3 });
      const watched = await open(`${server.url}/pipelines/runs/${run.id}`);
      const { page } = watched;
      const status = (name: string) => page.locator(step(name)).getAttribute('data-status');

      // The first step runs (held by the test); the others wait.
      await expect.poll(() => status('count'), SOON).toBe('running');
      expect(await status('square')).toBe('pending');
      expect(await status('sum')).toBe('pending');
      const graph = page.locator('[data-testid="pipeline-graph"] svg');
      const before = await graph.boundingBox();

      // Let it through: the map fans out, two items complete, the last one is held.
      firstGate.open();
      await expect.poll(() => status('count'), SOON).toBe('completed');
      const items = page.locator(`${step('square')} [data-testid="step-items"]`);
      await expect.poll(() => items.textContent(), SOON).toBe('2/3');
      expect(await status('square')).not.toBe('completed');
      expect(await page.locator(`${step('square')} .pg-status`).textContent()).toBe(
        await status('square'),
      );

      // The last item completes: the map, then sum, then the run.
      lastItemGate.open();
      await expect.poll(() => items.textContent(), SOON).toBe('3/3');
      await expect.poll(() => status('square'), SOON).toBe('completed');
      await expect.poll(() => status('sum'), SOON).toBe('completed');
      await page.locator('[data-testid="run-status"] [data-status="completed"]').waitFor();
      expect((await mill.pipelines.get(run.id)).status).toBe('completed');
      expect((await mill.pipelines.get(run.id)).output).toEqual({ sum: 14 });

      // Only colours and text changed: the drawing kept its place and size.
      expect(await graph.boundingBox()).toEqual(before);
      // The map step's row links the task list of its items: the step's task and its 3 items,
      // the run named in the filter bar, and no bulk change (it cannot take a run filter).
      await page
        .locator('[data-testid="pipeline-steps"] tr[data-step="square"] a', {
          hasText: 'items',
        })
        .click();
      await expect.poll(() => new URL(page.url()).searchParams.get('step'), SOON).toBe('square');
      expect(new URL(page.url()).searchParams.get('run')).toBe(run.id);
      const rows = page.locator('[data-testid="tasks-table"] tbody tr[data-task-id]');
      await expect.poll(() => rows.count(), SOON).toBe(4);
      expect(await page.getByTestId('run-filter').textContent()).toContain('step square');
      expect(await page.getByTestId('bulk-actions').count()).toBe(0);
      await page.goBack();
      await page.locator(step('sum')).waitFor();
      // Each step's box opens its task.
      const stepTask = (await mill.pipelines.get(run.id)).steps.find((s) => s.name === 'sum');
      await page.locator(`a:has(${step('sum')})`).click();
      await expect
        .poll(() => new URL(page.url()).pathname, SOON)
        .toBe(`/tasks/${stepTask?.taskId}`);
      watched.expectClean();
    } finally {
      firstGate.open();
      lastItemGate.open();
    }
  });

  it('list the runs, filtered by status in the address, each linking its run', async () => {
    firstGate = gate();
    lastItemGate = gate();
    firstGate.open();
    lastItemGate.open();
    const { server, mill } = await api(TASKS, {}, { pipelines: [squares] });
    await mill.startWorker({ concurrency: 2 });
    const done = await mill.pipelines.run('squares', { n: 2 });
    await mill.pipelines.wait(done.id);

    const watched = await open(`${server.url}/pipelines?status=completed`);
    const { page } = watched;
    const listed = page.locator(`[data-testid="pipeline-runs"] tr[data-run-id="${done.id}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-status')).toBe('completed');
    expect(await page.locator('#runs-status').inputValue()).toBe('completed');
    // The definition is there, its steps drawn.
    const def = page.locator('details[data-pipeline="squares"]');
    await def.locator('summary').click();
    await expect.poll(() => def.locator('[data-testid="graph-step"]').count(), SOON).toBe(3);

    // Filtering on another status leaves it out, in the address too.
    await page.locator('#runs-status').selectOption('failed');
    await page.locator('[data-testid="no-runs"]').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.locator('#runs-status').selectOption('');
    await listed.locator('a').click();
    await page.locator(`[data-testid="run-id"]`).waitFor();
    expect(await page.locator('[data-testid="run-id"]').textContent()).toBe(done.id);
    watched.expectClean();
  });

  it('start a run from the page, refusing an input the pipeline does not take', async () => {
    firstGate = gate();
    lastItemGate = gate();
    firstGate.open();
    lastItemGate.open();
    const { server, mill } = await api(TASKS, {}, { pipelines: [squares] });
    await mill.startWorker({ concurrency: 2 });
    const watched = await open(`${server.url}/pipelines`, {
      // The refused start is a 400 the browser logs.
      allowConsole: [/status of 400/],
    });
    const { page } = watched;
    const def = page.locator('details[data-pipeline="squares"]');
    await def.locator('summary').click();
    const input = def.getByLabel('Input (JSON)');
    await input.fill('{"n": 0}');
    await def.getByRole('button', { name: 'Start a run' }).click();
    await def.locator('.field-error').first().waitFor();
    expect(await def.locator('.field-error').first().textContent()).toMatch(/^input\.n: /);
    expect((await mill.pipelines.list()).runs).toHaveLength(0);

    await input.fill('{"n": 2}');
    await def.getByRole('button', { name: 'Start a run' }).click();
    await expect.poll(() => new URL(page.url()).pathname, SOON).toMatch(/^\/pipelines\/runs\//);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.locator('[data-testid="run-status"] [data-status="completed"]').waitFor();
    expect((await mill.pipelines.get(id)).output).toEqual({ sum: 5 });
    watched.expectClean();
  });
});
