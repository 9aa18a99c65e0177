/**
 * What stops a web page from using a taskmill server through the browser of someone who can
 * reach it. A server without tokens trusts whoever reaches it, and a browser on the same machine
 * reaches it for any page it shows, so three checks run before any route:
 *
 * - `Host` must name this server (loopback, the address it is bound to, or a configured name).
 *   A DNS-rebinding page is same-origin to the browser, but its requests carry the attacker's
 *   host name.
 * - A change (POST, PUT, PATCH, DELETE) must not come from another site, by `Sec-Fetch-Site`
 *   or, from older browsers, `Origin`. Programs (curl, the CLI, workers) send neither.
 * - A change must be sent as JSON. A page may send a form or text anywhere without asking, but
 *   JSON only after a CORS preflight, which this server never grants.
 */
import { isIP, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TaskmillError, ValidationError } from '../core/errors.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** Bound to every address of the machine: its names are not known here. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '[::]']);
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Any name at all: for a proxy in front that checks `Host` itself. */
export const ANY_HOST = '*';

/** `name[:port]` or `[v6]:port`, nothing else: no user part, path or percent-encoding. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/** `tasks.example.com`, `10.0.0.5`, `[::1]`: lower case, IPv6 in brackets and canonical. */
function normalName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  const bare = lower.replace(/^\[(.*)\]$/, '$1');
  return isIPv6(bare) ? new URL(`http://[${bare}]`).hostname : lower;
}

/** The host name of a `Host` header, without its port; null when it is not one. */
function nameOfHost(header: string): string | null {
  const name = HOST_HEADER.exec(header.trim())?.[1];
  return name === undefined ? null : normalName(name);
}

/** Host names an operator may add: a name or an address, no scheme, port or path. */
export function checkAllowedHosts(names: readonly string[]): string[] {
  return names.map((name, i) => {
    const normal = normalName(name);
    const bare = normal.replace(/^\[|\]$/g, '');
    const valid =
      normal === ANY_HOST ||
      isIP(bare) !== 0 ||
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9-]+)*$/.test(normal);
    if (!valid) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        `Allowed host ${JSON.stringify(name)} is not a host name or address: give the name clients use, such as tasks.example.com, without scheme, port or path.`,
        [{ path: `allowedHosts.${i}`, message: 'expected a host name or address' }],
      );
    }
    return normal;
  });
}

/** Whether a host name may reach a server bound to `bound`. */
export function hostAllowed(bound: string, extra: readonly string[]): (name: string) => boolean {
  const names = new Set([...LOOPBACK_NAMES, normalName(bound), ...extra]);
  const anyAddress = WILDCARD_ADDRESSES.has(normalName(bound));
  if (names.has(ANY_HOST)) return () => true;
  // An address cannot be rebound to another machine as a name can: on a wildcard bind, any of
  // the machine's addresses may be the one a client dialled.
  return (name) => names.has(name) || (anyAddress && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
}

function refuseHost(header: string): never {
  throw new TaskmillError(
    'HOST_NOT_ALLOWED',
    `This server does not answer for the host ${JSON.stringify(header)}. Reach it by an address it listens on, or start it with --allowed-host <name> (allowedHosts) for the name clients use.`,
    { details: { host: header } },
  );
}

/** Why a change comes from another site, or null when it does not. */
function crossSite(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  // Set by the browser itself, which a page cannot change: the most direct answer there is.
  if (site === 'same-origin' || site === 'none') return null;
  if (site !== undefined) return `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const host = request.headers.host ?? '';
  const own = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).host : null;
  const from = URL.canParse(origin) ? new URL(origin).host : null;
  return from !== null && from === own ? null : `Origin: ${origin}`;
}

function isJson(type: string | undefined): boolean {
  const essence = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[^/\s]+\+json$/.test(essence);
}

/** The checks that must come before access tokens: who asked, through which name. */
export function refuseForeignPages(app: FastifyInstance, allowed: (name: string) => boolean): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    // HTTP/1.0 may omit Host; no browser does.
    if (host !== undefined) {
      const name = nameOfHost(host);
      if (name === null || !allowed(name)) refuseHost(host);
    }
    if (!CHANGES.has(request.method)) return;
    const why = crossSite(request);
    if (why !== null) {
      throw new TaskmillError(
        'ORIGIN_NOT_ALLOWED',
        `Refused: this ${request.method} came from a web page of another site (${why}). Pages of other sites may not change anything here; use the API from a program, the CLI or this server's own pages.`,
        { details: { reason: why } },
      );
    }
  });
}

/** After access tokens, so that a request without one hears about the token first. */
export function requireJsonChanges(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!CHANGES.has(request.method)) return;
    const type = request.headers['content-type'];
    if (isJson(type)) return;
    throw new TaskmillError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send Content-Type: application/json on every ${[...CHANGES].join(', ')}, with a body or without one (got ${type === undefined ? 'none' : JSON.stringify(type)}): it tells the server that no web page sent it.`,
      { details: { contentType: type ?? null } },
    );
  });
}

/** The request that the docs page's "Try it out" is about to send: a plain object. */
interface TryItOut {
  method?: string;
  headers?: Record<string, string>;
}

/**
 * Runs in the browser, in the docs page (@fastify/swagger-ui writes its source into the page's
 * script, so it must not name anything outside itself): a body-less change gets the JSON
 * content type, without which it is refused.
 */
export function jsonTryItOut(request: TryItOut): TryItOut {
  const headers = request.headers ?? {};
  const method = String(request.method ?? 'GET').toUpperCase();
  if (
    method !== 'GET' &&
    method !== 'HEAD' &&
    !headers['Content-Type'] &&
    !headers['content-type']
  ) {
    headers['Content-Type'] = 'application/json';
  }
  request.headers = headers;
  return request;
}
