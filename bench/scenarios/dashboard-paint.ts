/// <reference lib="dom" />
/**
 * How soon the dashboard shows something, and its data, on the demo (issue 18: "the overview's
 * first paint under 1 s on the demo"). A `taskmill serve --demo` child on a fresh SQLite file,
 * exactly as `npm start` runs it but on its own port; Debian's Chromium, headless, loads `/`:
 *
 * - cold: a fresh browser context each time (nothing cached), `runs` times;
 * - warm: the same page reloaded (the hashed files from the cache), `runs` times.
 *
 * Each load reports first contentful paint (the browser's own paint timing) and the moment the
 * overview's status counts hold numbers from the server (polled in the page, measured from the
 * navigation's start). Also the bundle: every file of dashboard/dist raw, gzip and brotli, and
 * what the first visit of `/` downloads.
 *
 *   dashboard-paint [runs=7]
 *
 * Prints one JSON line, last on stdout.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildDashboard } from '../../scripts/build-dashboard.ts';
import { launchChromium, startDemo } from '../../scripts/screenshots.ts';
import { percentile, report } from './common.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dashboard', 'dist');
const runs = Number(process.argv[2] ?? '7');

function bundle() {
  const files = readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += statSync(file).size;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return { files: files.length, raw, gzip, brotli };
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const max = (xs: number[]) => Math.max(...xs);

await buildDashboard();
// The demo as `npm start` serves it, and Chromium as the browser tests launch it.
const demo = await startDemo();
const url = demo.url;
const browser = await launchChromium();
try {
  const measure = async (page: import('playwright-core').Page) => {
    await page.waitForFunction(
      () => /\d/.test(document.querySelector('[data-testid="count-completed"]')?.textContent ?? ''),
      undefined,
      { polling: 10, timeout: 30_000 },
    );
    return page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      data: performance.now(),
      bytes: performance
        .getEntriesByType('resource')
        .reduce((sum, e) => sum + ((e as PerformanceResourceTiming).transferSize || 0), 0),
    }));
  };
  const cold: { fcp: number; data: number; bytes: number }[] = [];
  const warm: { fcp: number; data: number; bytes: number }[] = [];
  // One load first, not counted: the server reads and compresses the files on first request.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await measure(page);
    await context.close();
  }
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    cold.push(await measure(page));
    await page.reload();
    warm.push(await measure(page));
    await context.close();
  }
  const size = bundle();
  report({
    scenario: 'dashboard-paint',
    runs,
    coldFcpMs: median(cold.map((r) => r.fcp)),
    coldFcpMaxMs: max(cold.map((r) => r.fcp)),
    coldDataMs: median(cold.map((r) => r.data)),
    coldDataMaxMs: max(cold.map((r) => r.data)),
    warmFcpMs: median(warm.map((r) => r.fcp)),
    warmDataMs: median(warm.map((r) => r.data)),
    firstVisitBytes: median(cold.map((r) => r.bytes)),
    bundleFiles: size.files,
    bundleRawBytes: size.raw,
    bundleGzipBytes: size.gzip,
    bundleBrotliBytes: size.brotli,
  });
} finally {
  await browser.close();
  await demo.stop();
}
