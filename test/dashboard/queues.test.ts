/**
 * The Queues page in a real browser against a real server: an admin pauses and resumes a queue
 * and sets its concurrency limit, and the API agrees; a value the API refuses is shown beside
 * the field with the API's code, and changes nothing; a read-only token sees no controls.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../../src/client/client.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

const ROW = '[data-testid="queue-row"][data-queue="default"]';
const READ_TOKEN = 'read-token-0123456789';

describe.each([SQLITE, POSTGRES])('the Queues page on $name', { timeout: 60_000 }, (backend) => {
  // A browser on a busy two-core machine: each step waits on a signal, but they add up.
  const api = useApi(backend);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  /** A server whose `default` queue holds two waiting tasks (no worker runs them). */
  async function seeded(options: Parameters<typeof api>[1] = {}) {
    const started = await api(apiTasks, options);
    await started.mill.submit('sleep', { ms: 1 });
    await started.mill.submit('sleep', { ms: 1 });
    return started;
  }

  it('pauses and resumes a queue, and the API confirms each', async () => {
    const { server } = await seeded();
    const client = createClient({ url: server.url });
    const watched = await open(`${server.url}/queues`);
    const { page } = watched;
    const row = page.locator(ROW);
    await expect.poll(() => row.getByTestId('queue-waiting').textContent()).toBe('2');
    // Two tasks wait with no worker: the oldest waiting age is shown, not "none waiting".
    await expect.poll(() => row.getByTestId('queue-oldest').textContent()).toMatch(/\d+ (ms|s)/);
    await expect
      .poll(() => row.locator('[data-testid="queue-state"] .badge').getAttribute('data-status'))
      .toBe('active');

    await row.getByTestId('pause-default').click();
    await expect
      .poll(() => row.locator('[data-testid="queue-state"] .badge').getAttribute('data-status'))
      .toBe('paused');
    expect((await client.queues()).find((q) => q.name === 'default')?.paused).toBe(true);

    await row.getByTestId('resume-default').click();
    await expect
      .poll(() => row.locator('[data-testid="queue-state"] .badge').getAttribute('data-status'))
      .toBe('active');
    expect((await client.queues()).find((q) => q.name === 'default')?.paused).toBe(false);
    watched.expectClean();
  });

  it('sets and clears a concurrency limit; a refused value shows the API error beside the field', async () => {
    const { server } = await seeded();
    const client = createClient({ url: server.url });
    const limitOf = async () =>
      (await client.queues()).find((q) => q.name === 'default')?.concurrency;
    // The refused request is logged by the browser as a failed resource (400): expected here.
    const watched = await open(`${server.url}/queues`, { allowConsole: [/status of 400/] });
    const { page } = watched;
    const input = page.getByTestId('concurrency-input-default');
    const save = page.getByTestId('concurrency-save-default');
    const error = page.getByTestId('concurrency-error-default');

    await input.fill('3');
    await save.click();
    await expect.poll(limitOf).toBe(3);
    await expect.poll(() => input.inputValue()).toBe('3');
    expect(await error.count()).toBe(0);

    // Zero is a number, so the page sends it: the API's refusal is what the user sees.
    await input.fill('0');
    await input.press('Enter');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toMatch(/VALIDATION|OPTIONS_INVALID|INVALID/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await limitOf()).toBe(3);

    // Text that is no number never reaches the API as "no limit".
    await input.fill('lots');
    await save.click();
    await expect.poll(() => error.textContent()).toMatch(/whole number/);
    expect(await limitOf()).toBe(3);

    // Empty: no limit; the error goes once a value is accepted.
    await input.fill('');
    await save.click();
    await expect.poll(limitOf).toBeNull();
    await error.waitFor({ state: 'detached' });
    watched.expectClean();
  });

  it('hides the admin controls from a read-only token', async () => {
    const tokens = parseTokens(`${READ_TOKEN}:read`, 'test');
    const { server } = await seeded({ tokens });
    // The first call, without a token, is refused (401): that is what brings the login up.
    const watched = await open(`${server.url}/queues`, { allowConsole: [/status of 401/] });
    const { page } = watched;
    await page.locator('#token').fill(READ_TOKEN);
    await page.locator('#token').press('Enter');
    const row = page.locator(ROW);
    await expect.poll(() => row.getByTestId('queue-waiting').textContent()).toBe('2');
    expect(await row.getByTestId('queue-concurrency').textContent()).toBe('no limit');
    expect(await page.getByTestId('pause-default').count()).toBe(0);
    expect(await page.getByTestId('concurrency-input-default').count()).toBe(0);
    watched.expectClean();
  });
});
