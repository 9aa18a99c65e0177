/**
 * The dashboard as a browser gets it from `taskmill serve`: the built app at `/` under its
 * Content-Security-Policy, client-side routes that survive a reload, and the API's docs page
 * under its own policy, each with no violation, console error or dialog.
 */
import { describe, expect, inject, it } from 'vitest';
import { DASHBOARD_POLICY, DOCS_POLICY } from '../../src/server/security-headers.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useApi } from '../helpers/server.ts';

const SHELL = '[data-testid="app-shell"]';

// The first test launches Chromium, which takes seconds on a busy two-core machine.
describe('the dashboard in a browser', { timeout: 60_000 }, () => {
  const api = useApi(SQLITE);
  const open = useBrowser();

  /** A server on a fresh SQLite file; each test fails (never skips) when the app did not build. */
  const start = async () => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
    return api(apiTasks);
  };

  it('renders the app at / under the dashboard CSP, with no violation or console error', async () => {
    const { server } = await start();
    const watched = await open(`${server.url}/`);
    const response = await watched.page.request.get(`${server.url}/`);
    expect(response.headers()['content-security-policy']).toBe(DASHBOARD_POLICY);
    await watched.page.locator(SHELL).waitFor({ state: 'visible' });
    // Its script and stylesheet loaded: the app rendered and styled itself under the policy.
    const styled = await watched.page.evaluate('document.styleSheets.length');
    expect(styled).toBeGreaterThan(0);
    watched.expectClean();
  });

  it('reloads a deep link into the app', async () => {
    const { server } = await start();
    const watched = await open(`${server.url}/tasks`);
    await watched.page.locator(SHELL).waitFor({ state: 'visible' });
    await watched.page.reload({ waitUntil: 'load' });
    await watched.page.locator(SHELL).waitFor({ state: 'visible' });
    expect(new URL(watched.page.url()).pathname).toBe('/tasks');
    watched.expectClean();
  });

  it('shows the API docs under their own strict policy without a violation', async () => {
    const { server } = await start();
    const watched = await open(`${server.url}/docs`);
    const response = await watched.page.request.get(`${server.url}/docs/`);
    expect(response.headers()['content-security-policy']).toBe(DOCS_POLICY);
    // Swagger UI renders the operations once it has fetched the document.
    await watched.page.locator('.opblock').first().waitFor({ state: 'visible' });
    watched.expectClean();
  });

  it('answers a fetch for an unknown API path with JSON, not the app', async () => {
    const { server } = await start();
    const watched = await open(`${server.url}/`);
    const answer = await watched.page.evaluate(async () => {
      const response = await fetch('/api/v1/no-such-route', { headers: { accept: 'text/html' } });
      return { status: response.status, type: response.headers.get('content-type') };
    });
    expect(answer).toEqual({ status: 404, type: 'application/json; charset=utf-8' });
  });
});
