/**
 * The web dashboard's built files (`npm run build:dashboard` writes `dashboard/dist/`), served
 * at `/` by the same server as the API. The app is small, so every file is read once, on the
 * first request for the dashboard (not at start: most servers built in tests never show it),
 * and kept in memory, with its brotli and gzip forms made on first demand: nothing on disk is
 * reached by a request's path, so no path can walk out of the folder or list it. Hashed files under
 * `/assets/` are cached for good; the page itself is revalidated on every load, so a new build
 * is picked up by a reload. Any other path a browser navigates to (`/tasks/ID` reloaded) gets
 * the page, whose router shows it; the API's own prefixes keep their JSON 404.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendNotFound } from './errors.ts';
import { DASHBOARD_POLICY } from './security-headers.ts';

/** Routes registered here, by URL: for tests that walk every route of the app. */
export const DASHBOARD_ROUTES: readonly string[] = ['/', '/*'];

/** Paths that belong to the server, never to the app: an unknown one there is a JSON 404. */
const SERVER_PREFIXES = ['/api', '/docs', '/health', '/metrics', '/assets'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** Types worth compressing: the text ones (images and fonts are compressed already). */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;
/** Below this, compression saves less than its headers cost. */
const COMPRESS_MIN_BYTES = 1024;
/** Made once per file on first demand: quality 5 takes milliseconds for the app's script (its
 * best, 11, takes seconds for a few percent less) and is what CDNs use on the fly. */
const BROTLI_QUALITY = 5;
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = 'br' | 'gzip' | 'identity';

interface Representation {
  body: Buffer;
  etag: string;
}

type Compressed = Partial<Record<'br' | 'gzip', Representation>>;

interface StaticFile {
  type: string;
  /** Hashed names under assets/: their content never changes under the same name. */
  immutable: boolean;
  identity: Representation;
  /** Whether compressed forms are worth making (a text type, not tiny). */
  compressible: boolean;
  compressed?: Promise<Compressed>;
}

function representation(body: Buffer, encoding: Encoding): Representation {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}${encoding === 'identity' ? '' : `-${encoding}`}"` };
}

/** The folder holding this module's package.json named taskmill: src/ in the repository,
 * dist/src/ in the installed package, both below it. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (name === 'taskmill') return dir;
      } catch {
        // Not this package's manifest: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No taskmill package.json above ${from}`);
    dir = parent;
  }
}

/** Where `npm run build:dashboard` writes the app. */
export function defaultDashboardDir(): string {
  return join(packageRoot(), 'dashboard', 'dist');
}

function load(path: string, key: string): StaticFile {
  const body = readFileSync(path);
  const type = TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
  return {
    type,
    immutable: key.startsWith('assets/'),
    identity: representation(body, 'identity'),
    compressible: COMPRESSIBLE.test(type) && body.length >= COMPRESS_MIN_BYTES,
  };
}

/** The file's brotli and gzip forms, made once, off the event loop; a form that is not
 * smaller is left out. */
function compressed(file: StaticFile): Promise<Compressed> {
  file.compressed ??= (async () => {
    const body = file.identity.body;
    const [br, gz] = await Promise.all([
      brotliAsync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzipAsync(body, { level: 6 }),
    ]);
    const forms: Compressed = {};
    if (br.length < body.length) forms.br = representation(br, 'br');
    if (gz.length < body.length) forms.gzip = representation(gz, 'gzip');
    return forms;
  })();
  return file.compressed;
}

/**
 * Every regular file under `dir`, keyed by its path relative to it with `/` separators; null
 * when there is no built app there (no index.html). Links are not followed: what is served is
 * what the build wrote.
 */
export function loadDashboard(dir: string): ReadonlyMap<string, StaticFile> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const files = new Map<string, StaticFile>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const key = relative(dir, path).split(sep).join('/');
        files.set(key, load(path, key));
      }
    }
  };
  walk(dir);
  return files;
}

/** The request's path, percent-decoded; null when it cannot name a file of the app. */
function decodedPath(request: FastifyRequest): string | null {
  const raw = request.url.split('?')[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // Keys never hold these, so refusing them only makes the intent plain.
  if (!path.startsWith('/') || /[\\\0]/.test(path)) return null;
  if (path.split('/').some((part) => part === '..' || part === '.')) return null;
  return path;
}

/** What names a file rather than a page: a missing one is a 404, not the app. Task types and
 * pipeline names hold dots too (`/submit/demo.email`), so only these endings count. */
const FILE_ENDING =
  /\.(m?js|css|map|html?|json|txt|xml|webmanifest|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf)$/i;

/** A page navigation to a client-side route: not a file's name, the browser asks for HTML. */
function isAppRoute(request: FastifyRequest, path: string): boolean {
  if (SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  if (FILE_ENDING.test(path)) return false;
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(request.headers.accept ?? '');
}

/** The best form the client accepts: brotli, then gzip, else as is. */
function chooseEncoding(request: FastifyRequest, forms: Compressed): Encoding {
  const accepted = new Map<string, number>();
  for (const part of String(request.headers['accept-encoding'] ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  for (const encoding of ['br', 'gzip'] as const) {
    if (forms[encoding] && (accepted.get(encoding) ?? 0) > 0) return encoding;
  }
  return 'identity';
}

async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StaticFile,
): Promise<FastifyReply> {
  const forms = file.compressible ? await compressed(file) : {};
  const encoding = chooseEncoding(request, forms);
  const form = (encoding === 'identity' ? undefined : forms[encoding]) ?? file.identity;
  reply.header('content-type', file.type);
  reply.header(
    'cache-control',
    file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  reply.header('etag', form.etag);
  if (file.compressible) reply.header('vary', 'accept-encoding');
  if (file.type.startsWith('text/html')) reply.header('content-security-policy', DASHBOARD_POLICY);
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((tag) => tag.trim() === form.etag)) {
    return reply.status(304).send();
  }
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.status(200).send(form.body);
}

/** What `/` answers in a checkout where the app was never built: how to build it. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>taskmill: dashboard not built</title></head>
<body>
<h1>The dashboard is not built</h1>
<p>This server found no built dashboard in <code>dashboard/dist</code>. Run
<code>npm run build:dashboard</code> in the taskmill folder, then reload this page.</p>
<p>The HTTP API works meanwhile: <a href="/docs">/docs</a>, <a href="/api/v1/tasks">/api/v1/tasks</a>.</p>
</body>
</html>
`;

function sendNotBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .status(503)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', DASHBOARD_POLICY)
    .send(NOT_BUILT_PAGE);
}

/**
 * Serve the app in `dir` (default: this package's `dashboard/dist`) at `/`. Registered after
 * the API's routes so that the catch-all `/*` only answers what no other route does.
 */
export function dashboardRoutes(app: FastifyInstance, dir: string = defaultDashboardDir()): void {
  // Read on first use; looked for again while missing, so a build made meanwhile is served.
  let loaded: ReadonlyMap<string, StaticFile> | null = null;
  const files = (): ReadonlyMap<string, StaticFile> | null => {
    loaded ??= loadDashboard(dir);
    return loaded;
  };
  // Public: the page and its scripts hold no data; the app asks for a token before any call.
  const schema = { hide: true } as const;
  app.get('/', { schema: { ...schema, operationId: 'dashboard' } }, async (request, reply) => {
    const index = files()?.get('index.html');
    return index ? sendFile(request, reply, index) : sendNotBuilt(reply);
  });
  app.get('/*', { schema: { ...schema, operationId: 'dashboardFile' } }, async (request, reply) => {
    const path = decodedPath(request);
    if (path === null) return sendNotFound(request, reply);
    const file = files()?.get(path.slice(1));
    if (file) return sendFile(request, reply, file);
    if (!isAppRoute(request, path)) return sendNotFound(request, reply);
    const index = files()?.get('index.html');
    return index ? sendFile(request, reply, index) : sendNotBuilt(reply);
  });
}
