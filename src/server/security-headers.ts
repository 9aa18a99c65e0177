/**
 * Headers that tell a browser how little a response may do: nothing runs in an API answer or a
 * downloaded artifact, nothing of the server is framed by another page, no address leaks to
 * another site by the Referer, and no type is guessed from the bytes.
 */
import type { FastifyInstance } from 'fastify';

/** JSON, streams and artifacts: no page of its own, so nothing may load or run in it. */
export const API_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/** SHA-256 of `.logo_small_svg__cls-2{fill:#fff}…`, the style inside Swagger UI's logo. */
const SWAGGER_LOGO_STYLE = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/**
 * The API's browser (@fastify/swagger-ui): its own scripts and styles, files of this server
 * (no inline script, which the UI does not need), the document fetched from here, and data:
 * images for its logo and icons.
 */
export const DOCS_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  // Swagger UI draws its logo as an inline SVG holding one fixed <style> (its colours); that
  // text alone is allowed, by its hash. test/dashboard/serve.test.ts loads the page in a
  // browser and fails on any violation, so a Swagger UI whose logo changes is caught.
  `style-src 'self' '${SWAGGER_LOGO_STYLE}'`,
].join('; ');

/**
 * The dashboard's pages (dashboard.ts): its own hashed scripts and stylesheets and nothing
 * inline or evaluated (React sets styles through the DOM, which a policy does not restrict),
 * calls to this server only (the API and its event stream), data: images for icons, no
 * plugins, no <base>, never framed.
 */
export const DASHBOARD_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const docs = path === '/docs' || path.startsWith('/docs/');
    reply.headers({ ...COMMON, 'content-security-policy': docs ? DOCS_POLICY : API_POLICY });
  });
}
