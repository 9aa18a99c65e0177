/**
 * Text from tasks is text: a task whose name, input, logs, progress message, artifact and error
 * hold markup shows it literally on the tasks table and its page — no element made of it, no
 * dialog, no CSP violation. And a page on another origin cannot make the server create a task.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { TEST_MS, useTaskBrowser } from './task-pages-browser.ts';
import { pageTasks } from './task-pages-fixture.ts';

const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(1)> <b id="bold">b</b>`;

/** Elements the payload would have made, had any of it been parsed as markup. */
const injected = (page: import('playwright-core').Page) =>
  page.evaluate(`({
    images: document.querySelectorAll('img').length,
    bold: document.querySelectorAll('#bold').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('alert')).length,
  })`);

describe('task text rendered inert', { timeout: TEST_MS }, () => {
  const start = useApi(SQLITE);
  const open = useTaskBrowser();

  beforeAll(() => {
    const error = inject('dashboardBuildError');
    if (error !== null) throw new Error(error);
  });

  it('shows markup from a task as text on the table and its page, with no dialog or violation', async () => {
    const api = await start(pageTasks);
    const task = await api.mill.submit('page.echo', { text: PAYLOAD }, { name: PAYLOAD });
    const worker = await api.mill.startWorker({ handleSignals: false });
    try {
      await api.mill.wait(task.id, { timeoutMs: 10_000 });
    } finally {
      await worker.stop();
    }
    expect((await api.mill.get(task.id)).status).toBe('failed');

    // The table, found by searching for the markup itself.
    const watched = await open(`${api.server.url}/tasks?q=${encodeURIComponent('<script>')}`);
    const { page } = watched;
    const row = page.locator(`[data-task-id="${task.id}"]`);
    await row.waitFor();
    expect(await row.locator('.tasks-name').textContent()).toBe(PAYLOAD);
    expect(await injected(page)).toEqual({ images: 0, bold: 0, scripts: 0 });

    // Its page: name as the title, input, logs, progress message, error, attempt, artifact.
    await row.getByRole('link').click();
    await page.getByTestId('task-detail').waitFor();
    expect(await page.locator('h1').textContent()).toBe(PAYLOAD);
    await expect.poll(() => page.getByTestId('task-logs').textContent()).toContain(PAYLOAD);
    expect(await page.locator('pre[data-label="input"]').textContent()).toContain(
      JSON.stringify(PAYLOAD),
    );
    expect(await page.getByTestId('task-progress').textContent()).toContain(PAYLOAD);
    expect(await page.getByTestId('task-error').textContent()).toContain(PAYLOAD);
    await expect.poll(() => page.getByTestId('task-attempts').textContent()).toContain(PAYLOAD);
    await expect
      .poll(() => page.getByTestId('task-artifacts').textContent())
      .toContain('echo.html');
    expect(await injected(page)).toEqual({ images: 0, bold: 0, scripts: 0 });
    // Opened folds show the stacks, which hold the message too.
    await page.locator('details').evaluateAll((all) => {
      for (const d of all) d.setAttribute('open', '');
    });
    await expect.poll(() => page.locator('details[open] pre').count()).toBeGreaterThan(0);
    expect(await injected(page)).toEqual({ images: 0, bold: 0, scripts: 0 });
    expect(watched.cspViolations()).toEqual([]);
    watched.expectClean();
  });
});

describe('a page on another origin', { timeout: TEST_MS }, () => {
  const start = useApi(SQLITE);
  const open = useTaskBrowser();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A page at http://localhost:PORT (another site than 127.0.0.1) whose `go()` POSTs to
   * `target` both ways a page can, and writes what each gave into #out. */
  async function evilPage(target: string): Promise<string> {
    const body = JSON.stringify({ type: 'page.bounded', input: { count: 1 } });
    const html = `<!doctype html><title>evil</title><pre id="out"></pre><script>
      const out = (line) => { document.getElementById('out').textContent += line + '\\n'; };
      const url = ${JSON.stringify(`${target}/api/v1/tasks`)};
      const body = ${JSON.stringify(body)};
      window.go = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then((r) => out('json: answered ' + r.status), (e) => out('json: blocked ' + e.name))
        .then(() => fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }))
        .then((r) => out('no-cors: ' + r.type), (e) => out('no-cors: ' + e.name))
        .then(() => out('done'));
    </script>`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://localhost:${(server.address() as AddressInfo).port}/`;
  }

  it('cannot create a task: the JSON POST is blocked, the no-cors one refused', async () => {
    const api = await start(pageTasks);
    const url = await evilPage(api.server.url);
    // The browser reports the blocked request and the refused one: expected here.
    const watched = await open(url, { allowConsole: [/CORS|Failed to load|net::ERR_FAILED/i] });
    const { page } = watched;
    // What the browser sent and what the server answered, read from the browser's network
    // layer: a response the page may not read (CORP) is still seen there.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const sent = new Map<string, Record<string, string>>();
    const answered = new Map<string, number>();
    cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
      const headers = Object.entries(e.headers as Record<string, string>);
      sent.set(e.requestId, Object.fromEntries(headers.map(([k, v]) => [k.toLowerCase(), v])));
    });
    cdp.on('Network.responseReceivedExtraInfo', (e) => answered.set(e.requestId, e.statusCode));
    await page.evaluate('go()');
    await expect.poll(() => page.locator('#out').textContent()).toContain('done');
    const out = (await page.locator('#out').textContent()) ?? '';
    // With JSON the browser asks first (a preflight); the server does not allow it, so the
    // POST itself is never sent.
    expect(out).toContain('json: blocked TypeError');
    // Without asking, the POST goes: the server refuses it by its origin (the page cannot read
    // the answer either way: an opaque response, or none under the server's resource policy).
    expect(out).toMatch(/no-cors: (opaque|TypeError)/);
    // The POST that went: the server answered 403; sent again with the browser's own headers,
    // it says why.
    const refused = [...sent].filter(
      ([id, h]) => answered.get(id) === 403 && h['content-type']?.startsWith('text/plain'),
    );
    expect(refused).toHaveLength(1);
    const headers = Object.fromEntries(
      Object.entries(refused[0]?.[1] ?? {}).filter(
        ([k]) => !k.startsWith(':') && !['host', 'connection', 'content-length'].includes(k),
      ),
    );
    const again = await fetch(`${api.server.url}/api/v1/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'page.bounded', input: { count: 1 } }),
    });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect((await api.mill.list({ total: true })).total).toBe(0);
  });
});
