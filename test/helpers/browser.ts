/**
 * A real browser for the dashboard's tests: Debian's Chromium (`/usr/bin/chromium`, or
 * TASKMILL_TEST_CHROMIUM) driven by playwright-core, headless. One browser per test file,
 * launched on first use; each page opens in a context of its own (fresh storage, so a token
 * kept for the session does not leak between tests), closed after each test.
 *
 * Every page is watched for what must never happen on the dashboard: a console error, an
 * uncaught exception, a Content-Security-Policy violation, and any dialog (alert, confirm,
 * prompt: an injected `<script>` or `onerror` that ran). Tests end with `expectClean()`.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';

export const CHROMIUM_ENV = 'TASKMILL_TEST_CHROMIUM';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface Problem {
  kind: 'console' | 'pageerror' | 'csp' | 'dialog';
  text: string;
}

export interface WatchedPage {
  page: Page;
  /** Everything that went wrong on the page so far. */
  problems(): readonly Problem[];
  /** CSP violations only, as the browser reported them. */
  cspViolations(): readonly Problem[];
  /** Fails the test listing every problem, if there was any. */
  expectClean(): void;
}

export interface OpenOptions {
  /** Default 1280×800, the size the issue names for screenshots. */
  viewport?: { width: number; height: number };
  /** Console errors the test expects (a refused request it provoked): matched, then ignored. */
  allowConsole?: readonly RegExp[];
}

/** The Chromium to drive; fails (never skips) when it is not installed. */
export function chromiumPath(env = process.env): string {
  const path = env[CHROMIUM_ENV] || DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new Error(
      `The dashboard's browser tests need Chromium at ${path}, which is missing. Install it with \`apt-get install -y chromium\` (Debian/Ubuntu), or set ${CHROMIUM_ENV} to a Chromium or Chrome executable.`,
    );
  }
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Reports the page's CSP violations, with what was blocked and by which directive. */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__taskmillCsp(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    (e.sourceFile ? ' in ' + e.sourceFile + ':' + e.lineNumber : ''));
});`;

async function watch(context: BrowserContext, options: OpenOptions): Promise<WatchedPage> {
  const problems: Problem[] = [];
  // A binding and an init script come through the DevTools protocol, not the page: the page's
  // CSP does not apply to them, so they see its violations without loosening it.
  await context.exposeBinding('__taskmillCsp', (_source, text: string) => {
    problems.push({ kind: 'csp', text });
  });
  await context.addInitScript({ content: CSP_LISTENER });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (options.allowConsole?.some((re) => re.test(text))) return;
    // Chromium also logs each violation to the console; the listener has it with more detail.
    const kind = /Content Security Policy/i.test(text) ? 'csp' : 'console';
    problems.push({ kind, text: `${text} (${message.location().url})` });
  });
  page.on('pageerror', (error) => {
    problems.push({ kind: 'pageerror', text: error.stack ?? error.message });
  });
  page.on('dialog', (dialog) => {
    problems.push({ kind: 'dialog', text: `${dialog.type()}: ${dialog.message()}` });
    dialog.dismiss().catch(() => {});
  });
  return {
    page,
    problems: () => [...problems],
    cspViolations: () => problems.filter((p) => p.kind === 'csp'),
    expectClean() {
      expect(problems.map((p) => `${p.kind}: ${p.text}`)).toEqual([]);
    },
  };
}

/**
 * Register the browser's lifecycle in the calling test file; returns `open(url)`, which loads
 * a page in a fresh context and resolves once it has loaded.
 */
export function useBrowser(): (url: string, options?: OpenOptions) => Promise<WatchedPage> {
  let browser: Promise<Browser> | undefined;
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    if (browser) await (await browser).close();
  });
  return async (url, options = {}) => {
    browser ??= launchBrowser();
    const context = await (await browser).newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    contexts.push(context);
    const watched = await watch(context, options);
    await watched.page.goto(url, { waitUntil: 'load' });
    return watched;
  };
}
