/**
 * The schedules page in a real browser against a real server (SQLite): enabling a disabled
 * schedule shows its next run at once (and the API says it is enabled), run now lists the run
 * it made with its task, and a token without the admin scope sees no controls.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { defineTask } from '../../src/index.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

const tick = defineTask({
  name: 'tick',
  input: z.object({}),
  run: () => 'ticked',
});

/** Live updates come within a second or two (events, read again at most once a second). */
const SOON = { timeout: 10_000 };

const row = (name: string) => `tbody[data-schedule="${name}"]`;

// A real browser on a busy two-core machine: a test may take a while; each waits on signals.
describe.each([SQLITE, POSTGRES])('the schedules page on $name', { timeout: 90_000 }, (backend) => {
  const api = useApi(backend);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('enables a disabled schedule and shows its next run at once', async () => {
    const { server, mill } = await api([tick]);
    await mill.schedules.add({
      name: 'nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      task: 'tick',
      input: {},
      enabled: false,
    });
    const watched = await open(`${server.url}/schedules`);
    const { page } = watched;
    const nightly = page.locator(row('nightly'));
    await nightly.locator('[data-status="disabled"]').waitFor();
    // Disabled: no next run, and no fire time shown.
    expect(await nightly.locator('[data-testid="schedule-next"] time').count()).toBe(0);
    expect(await nightly.locator('[data-testid="schedule-next"]').textContent()).toContain('—');

    await nightly.getByRole('button', { name: 'Enable' }).click();
    await nightly.locator('[data-status="enabled"]').waitFor();
    const stored = await mill.schedules.get('nightly');
    expect(stored.enabled).toBe(true);
    expect(stored.nextRunAt).not.toBeNull();
    // The next run the page shows is the one the API computed, without waiting for a poll.
    const shown = nightly.locator('[data-testid="schedule-next"] time');
    await shown.waitFor({ timeout: 3_000 });
    expect(await shown.getAttribute('datetime')).toBe(stored.nextRunAt?.toISOString());

    // Opened, it lists its next three fire times, the first of them that one.
    await nightly.getByRole('button', { name: /nightly/ }).click();
    const times = nightly.locator('[data-testid="schedule-next-times"] li');
    await expect.poll(() => times.count(), SOON).toBe(3);
    const next = await mill.schedules.next('nightly', 3);
    expect(next).toHaveLength(3);
    expect(new URL(page.url()).searchParams.getAll('open')).toEqual(['nightly']);
    watched.expectClean();
  });

  it('runs a schedule now and lists the run with its task, which the worker completes', async () => {
    const { server, mill } = await api([tick]);
    await mill.schedules.add({ name: 'hourly', cron: '@hourly', task: 'tick', input: {} });
    await mill.startWorker({ concurrency: 1 });
    const watched = await open(`${server.url}/schedules`);
    const hourly = watched.page.locator(row('hourly'));
    await hourly.getByRole('button', { name: 'Run now' }).click();

    // The row opens on its recent runs, where the run now is listed with the task it made.
    const listed = hourly.locator('[data-testid="schedule-runs"] tbody tr');
    await expect.poll(() => listed.count(), SOON).toBe(1);
    const runs = await mill.schedules.runs('hourly');
    expect(runs).toHaveLength(1);
    const taskId = runs[0]?.taskId as string;
    expect(await listed.first().getAttribute('data-task-id')).toBe(taskId);
    expect(await listed.first().textContent()).toContain('run now');
    await mill.wait(taskId);
    // The run's outcome follows its task on the page.
    await listed.first().locator('[data-status="completed"]').waitFor();
    const link = listed.first().locator(`a[href="/tasks/${taskId}"]`);
    expect(await link.count()).toBe(1);
    watched.expectClean();
  });

  it('hides enable, disable and run now from a token without the admin scope', async () => {
    const tokens = parseTokens('reader-token-0123456789:read', 'test');
    const { server, mill } = await api([tick], { tokens });
    await mill.schedules.add({ name: 'quiet', cron: '@daily', task: 'tick', input: {} });
    // Before signing in, the app's question to the server is refused (401), as it should be.
    const watched = await open(`${server.url}/`, { allowConsole: [/status of 401/] });
    const { page } = watched;
    await page.getByLabel(/token/i).fill('reader-token-0123456789');
    await page.getByRole('button', { name: /sign in|log in|continue/i }).click();
    await page.locator('[data-testid="app-shell"]').waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Schedules' })
      .click();
    const quiet = page.locator(row('quiet'));
    await quiet.locator('[data-status="enabled"]').waitFor();
    expect(await quiet.getByRole('button', { name: /Disable|Enable|Run now/ }).count()).toBe(0);
    watched.expectClean();
  });
});
