/**
 * Signing in to a server with access tokens, in a real browser: the login asks for a token and
 * says when the server does not know it; a known one opens the app, travels only in the
 * Authorization header (never in an address, the event stream's included), lasts a reload but
 * not a new session, and is forgotten on sign-out.
 */
import type { Request } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseTokens } from '../../src/server/auth.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const REFUSED = [/status of 401/];

describe('signing in to the dashboard', { timeout: 60_000 }, () => {
  const api = useApi(SQLITE);
  const open = useBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('asks for a token, refuses an unknown one, and keeps a good one for the session only', async () => {
    const { server } = await api(apiTasks, { tokens: parseTokens(`${TOKEN}:admin`, 'test') });
    const watched = await open(`${server.url}/tasks`, { allowConsole: REFUSED });
    const { page } = watched;
    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));

    await page.getByTestId('login').waitFor();
    await page.locator('#token').fill('not-a-token-this-server-knows');
    await page.locator('#token').press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('AUTH_INVALID');
    expect(await page.getByTestId('app-shell').count()).toBe(0);

    await page.locator('#token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('app-shell').waitFor();
    // The address it was opened at is the page shown.
    await page.locator('#page-title', { hasText: 'Tasks' }).waitFor();
    await expect.poll(() => requests.some((r) => r.url().endsWith('/api/v1/events'))).toBe(true);
    const calls = requests.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
    expect(calls.length).toBeGreaterThan(2);
    for (const call of calls) expect(call.url()).not.toContain(TOKEN);
    const signedIn = calls.filter((r) => r.headers()['authorization'] === `Bearer ${TOKEN}`);
    expect(signedIn.map((r) => new URL(r.url()).pathname)).toEqual(
      expect.arrayContaining(['/api/v1/access', '/api/v1/events']),
    );
    expect(page.url()).not.toContain(TOKEN);

    // A reload keeps the session's token: no login.
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    expect(await page.getByTestId('login').count()).toBe(0);

    // Another session (a new browser context: another tab's storage) must sign in itself.
    const other = await open(`${server.url}/`, { allowConsole: REFUSED });
    await other.page.getByTestId('login').waitFor();
    other.expectClean();

    // Signing out forgets it, across a reload too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('login').waitFor();
    await page.reload();
    await page.getByTestId('login').waitFor();
    watched.expectClean();
  });
});
