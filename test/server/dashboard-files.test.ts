/**
 * The dashboard's files as the server hands them out (src/server/dashboard.ts), from a built app
 * of the test's own in a temp folder, over real sockets with every header chosen by the test:
 * caching, types and compression, the client-side-route fallback, the API's JSON 404s, paths
 * that try to leave the folder, the page shown when nothing was built, and access tokens.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { parseTokens } from '../../src/server/auth.ts';
import {
  defaultDashboardDir,
  loadDashboard,
  NOT_BUILT_PAGE,
  packageRoot,
} from '../../src/server/dashboard.ts';
import { DASHBOARD_POLICY } from '../../src/server/security-headers.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const INDEX = '<!doctype html><title>app</title><div id="root"></div>\n';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
const SECRET = 'secret beside the build folder';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** A built app in a temp folder, with a secret file beside it that must never be served. */
function builtApp(): string {
  const root = temp();
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(join(dist, 'assets', 'index-AbC123.css'), 'body{margin:0}\n');
  writeFileSync(join(dist, 'assets', 'logo-Zz9.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'assets', 'font-Q1.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(dist, 'assets', 'data-Q2.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dist, 'robots.txt'), 'User-agent: *\n');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  // A link the build would never write: not followed, so not a way out.
  symlinkSync(join(root, 'secret.txt'), join(dist, 'assets', 'linked.txt'));
  return dist;
}

const folders: (() => void)[] = [];
function temp(): string {
  const dir = tempDir();
  folders.push(dir.remove);
  return dir.path;
}

const apps: FastifyInstance[] = [];
const mills: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const mill of mills.splice(0)) await mill.close();
  for (const remove of folders.splice(0)) remove();
});

async function serve(dashboardDir: string, tokens = ''): Promise<string> {
  const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: apiTasks });
  mills.push(mill);
  const app = await buildApp(mill, {
    dashboardDir,
    tokens: tokens ? parseTokens(tokens, 'test') : [],
  });
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

describe('the dashboard files', () => {
  it('serves the page at / with the dashboard CSP, revalidated on every load', async () => {
    const url = await serve(builtApp());
    const page = await rawRequest(url, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DASHBOARD_POLICY,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    expect(DASHBOARD_POLICY).not.toMatch(/unsafe-|\*/);
    const etag = String(page.headers['etag']);
    const again = await rawRequest(url, 'GET', '/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const head = await rawRequest(url, 'HEAD', '/');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-security-policy']).toBe(DASHBOARD_POLICY);
    expect((await rawRequest(url, 'GET', '/index.html')).text).toBe(INDEX);
  });

  it('caches hashed assets for good, with their types, compressed when the client accepts it', async () => {
    const url = await serve(builtApp());
    const types: Record<string, string> = {
      '/assets/index-AbC123.js': 'text/javascript; charset=utf-8',
      '/assets/index-AbC123.css': 'text/css; charset=utf-8',
      '/assets/logo-Zz9.svg': 'image/svg+xml',
      '/assets/font-Q1.woff2': 'font/woff2',
      '/assets/data-Q2.bin': 'application/octet-stream',
      '/robots.txt': 'text/plain; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const answer = await rawRequest(url, 'GET', path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type'], path).toBe(type);
      expect(answer.headers['cache-control'], path).toBe(
        path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    }
    const plain = await rawRequest(url, 'GET', '/assets/index-AbC123.js');
    expect(plain.text).toBe(SCRIPT);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('accept-encoding');
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0, gzip', 'gzip', gunzipSync],
    ] as const) {
      const body = await bytes(url, '/assets/index-AbC123.js', { 'accept-encoding': accept });
      expect(body.encoding, accept).toBe(encoding);
      expect(body.bytes.length).toBeLessThan(SCRIPT.length / 4);
      expect(decode(body.bytes).toString(), accept).toBe(SCRIPT);
    }
  });

  it('answers client-side routes with the page, and unknown server paths with a JSON 404', async () => {
    const url = await serve(builtApp());
    const routes = [
      '/tasks',
      '/tasks/01a2126e-ba75-7080-bf0b-fcb63fe5316f',
      '/queues?x=1',
      // Task types and pipeline names hold dots: still the app's routes.
      '/submit/demo.email',
      '/pipelines/etl.sales',
    ];
    for (const path of routes) {
      const answer = await rawRequest(url, 'GET', path, HTML);
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).toBe(INDEX);
      expect(answer.headers['content-security-policy'], path).toBe(DASHBOARD_POLICY);
    }
    const notFound = [
      ['/tasks', {}],
      ['/tasks', { accept: 'application/json' }],
      ['/api/v1/unknown', HTML],
      ['/api', HTML],
      ['/api/v1/tasks/a/b/c', HTML],
      ['/docs/unknown', HTML],
      ['/health/unknown', HTML],
      ['/metrics/unknown', HTML],
      ['/assets', HTML],
      ['/assets/', HTML],
      ['/assets/missing-1.js', HTML],
      ['/missing.js', HTML],
    ] as const;
    for (const [path, headers] of notFound) {
      const answer = await rawRequest(url, 'GET', path, headers);
      expect(answer.status, path).toBe(404);
      expect(answer.headers['content-type'], path).toBe('application/json; charset=utf-8');
      expect(answer.json, path).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    }
    // Only reads: any other method on the app's paths is the API's 404.
    const post = await rawRequest(url, 'POST', '/tasks', { 'content-type': 'application/json' });
    expect(post.status).toBe(404);
  });

  it('never serves a file outside the build folder, nor lists one', async () => {
    const url = await serve(builtApp());
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/./secret.txt',
      '//secret.txt',
      '/%2fetc%2fpasswd',
      '//etc/passwd',
      '/assets/linked.txt',
      '/assets/%00.js',
      '/%E0%A4%A.js',
      '/assets/',
    ];
    for (const path of attempts) {
      for (const headers of [{}, HTML]) {
        const answer = await rawRequest(url, 'GET', path, headers);
        expect(answer.text, path).not.toContain(SECRET);
        expect(answer.text, path).not.toMatch(/root:|index-AbC123\.css/);
        expect([200, 400, 404], path).toContain(answer.status);
        // A path with no extension may be a client-side route: the page, never a file.
        if (answer.status === 200) expect(answer.text, path).toBe(INDEX);
      }
    }
    expect([...(loadDashboard(builtApp())?.keys() ?? [])].sort()).not.toContain(
      'assets/linked.txt',
    );
  });

  it('says how to build the app when the folder is missing, under the same CSP', async () => {
    const dir = join(temp(), 'no-dist');
    const url = await serve(dir);
    for (const [path, headers] of [
      ['/', {}],
      ['/tasks', HTML],
    ] as const) {
      const answer = await rawRequest(url, 'GET', path, headers);
      expect(answer.status, path).toBe(503);
      expect(answer.text).toBe(NOT_BUILT_PAGE);
      expect(answer.text).toContain('npm run build:dashboard');
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['content-security-policy']).toBe(DASHBOARD_POLICY);
    }
    expect((await rawRequest(url, 'GET', '/assets/index-AbC123.js')).status).toBe(404);
    expect((await rawRequest(url, 'GET', '/health')).status).toBe(200);
    // Built meanwhile: served from the next request on, without a restart.
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), INDEX);
    expect((await rawRequest(url, 'GET', '/')).text).toBe(INDEX);
  });

  it('serves the app without a token when the API needs one', async () => {
    const url = await serve(builtApp(), 'read-token-0123456789:read');
    expect((await rawRequest(url, 'GET', '/')).status).toBe(200);
    expect((await rawRequest(url, 'GET', '/tasks', HTML)).text).toBe(INDEX);
    expect((await rawRequest(url, 'GET', '/assets/index-AbC123.js')).status).toBe(200);
    expect((await rawRequest(url, 'GET', '/api/v1/tasks')).status).toBe(401);
    const docs = await rawRequest(url, 'GET', '/docs/');
    expect(docs.status).toBe(401);
  });
});

describe('where the built app is found', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

  it('is <package root>/dashboard/dist, from src/ in the repository and dist/src/ when installed', () => {
    expect(packageRoot()).toBe(root);
    expect(packageRoot(join(root, 'dist/src/server/dashboard.js'))).toBe(root);
    expect(defaultDashboardDir()).toBe(join(root, 'dashboard', 'dist'));
    expect(() => packageRoot('/nowhere/at/all.js')).toThrow(/No taskmill package.json/);
  });
});

/** The raw bytes of an answer as sent, which rawRequest (text) and fetch (decoding) would change. */
function bytes(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ encoding: string | null; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          encoding: (res.headers['content-encoding'] as string | undefined) ?? null,
          bytes: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
