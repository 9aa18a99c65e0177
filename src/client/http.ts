/**
 * One request to the API, and the one place where what comes back becomes a result or a
 * TaskmillError: the server's error body keeps its code, a socket that fails is
 * SERVER_UNREACHABLE, an answer that is not the API is SERVER_RESPONSE_INVALID.
 *
 * Everything goes over the global `fetch`, event streams included, so the client runs wherever
 * fetch does (browsers, Node 22+). A stream's connection may be pooled like any other: the
 * server closes connections left idle when it shuts down (src/server/serve.ts).
 */
import { ERROR_CODES, type ErrorCode } from '../core/error-codes.ts';
import { TaskmillError } from '../core/errors.ts';
import { redactUrl } from '../core/redact-url.ts';
import { VERSION } from '../core/version.ts';

export type QueryValue = string | number | readonly string[] | undefined;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses besides 2xx that carry a result, not an error (readiness answers 503). */
  accept?: readonly number[];
}

export interface Transport {
  readonly url: string;
  /** The response, once its status is one the caller takes; its body is not read yet. */
  send(spec: RequestSpec): Promise<Response>;
  /** The response body parsed as JSON (undefined for 204). */
  json(spec: RequestSpec): Promise<unknown>;
  /** A GET whose body the caller reads as it comes; the timeout covers opening it only. */
  stream(spec: Omit<RequestSpec, 'method' | 'body' | 'accept'>): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') params.append(key, String(value));
    else for (const item of value) params.append(key, item);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `connect ECONNREFUSED 127.0.0.1:1` rather than undici's bare "fetch failed". */
function causeOf(error: unknown): string {
  let current: unknown = error;
  let text = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.cause === undefined) break;
    current = current.cause;
    if (current instanceof Error) text = current.message || text;
  }
  return text;
}

export function unreachable(url: string, what: string, error: unknown): TaskmillError {
  return new TaskmillError(
    'SERVER_UNREACHABLE',
    `Could not reach the taskmill server at ${redactUrl(url)} (${what}): ${causeOf(error)}. Check the URL and that \`taskmill serve\` runs there.`,
    { details: { url: redactUrl(url), cause: causeOf(error) }, cause: error },
  );
}

export function invalidResponse(
  url: string,
  why: string,
  details: Record<string, unknown> = {},
): TaskmillError {
  return new TaskmillError(
    'SERVER_RESPONSE_INVALID',
    `The server at ${redactUrl(url)} did not answer as a taskmill API: ${why}.`,
    { details: { url: redactUrl(url), ...details } },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The server's `{ error: { code, message, details } }` as the TaskmillError it came from. */
function errorFrom(
  url: string,
  what: string,
  answer: { status: number; type: string | null; text: string },
): TaskmillError {
  const { status, text } = answer;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = isObject(body) ? body['error'] : undefined;
  if (!isObject(error) || typeof error['code'] !== 'string') {
    return invalidResponse(
      url,
      `${what} answered HTTP ${status} (${answer.type ?? 'no content type'}) without taskmill's error body: ${JSON.stringify(text.slice(0, 120))}`,
      { status },
    );
  }
  const code = error['code'];
  const message = typeof error['message'] === 'string' ? error['message'] : code;
  const details = isObject(error['details']) ? error['details'] : {};
  // A 500 names the request id under which the server logged the stack.
  const requestId = typeof error['requestId'] === 'string' ? { requestId: error['requestId'] } : {};
  if (!isErrorCode(code)) {
    return invalidResponse(
      url,
      `${what} answered HTTP ${status} with error code ${code}, which this client does not know (is the server newer?): ${message}`,
      { status, code, message, details },
    );
  }
  return new TaskmillError(code, message, { details: { ...details, ...requestId } });
}

export function createTransport(options: {
  url: string;
  token?: string;
  timeoutMs?: number;
}): Transport {
  const base = options.url.replace(/\/+$/, '');
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) {
    throw new TaskmillError(
      'OPTIONS_INVALID',
      `The server URL ${JSON.stringify(redactUrl(options.url))} is not an http(s) URL; give one such as http://127.0.0.1:3000.`,
      { details: { url: redactUrl(options.url) } },
    );
  }
  const parsed = new URL(base);
  if (parsed.username !== '' || parsed.password !== '') {
    // fetch refuses such a URL, and its message would repeat the password.
    throw new TaskmillError(
      'OPTIONS_INVALID',
      `The server URL ${JSON.stringify(redactUrl(options.url))} carries a user or password, which the API does not read: give the URL without it, and an access token as \`token\` (TASKMILL_TOKEN for the CLI).`,
      { details: { url: redactUrl(options.url) } },
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const common: Record<string, string> = { 'user-agent': `taskmill-client/${VERSION}` };
  if (options.token) common['authorization'] = `Bearer ${options.token}`;

  /** `timeout` aborts the request and counts as "no answer"; `spec.signal` is the caller's. */
  async function open(spec: RequestSpec, timeout: AbortSignal): Promise<Response> {
    const what = `${spec.method} ${spec.path}`;
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...common, ...spec.headers };
    let body: string | undefined;
    // Every change says JSON, a body-less one too: the server refuses others (browser pages).
    if (spec.method !== 'GET') headers['content-type'] = 'application/json';
    if (spec.body !== undefined) body = JSON.stringify(spec.body);
    let response: Response;
    try {
      response = await fetch(`${base}${spec.path}${queryString(spec.query)}`, {
        method: spec.method,
        headers,
        body,
        signal,
      });
    } catch (error) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      if (timeout.aborted) {
        throw unreachable(base, what, new Error(`no answer within ${timeoutMs} ms`));
      }
      throw unreachable(base, what, error);
    }
    if (!response.ok && !spec.accept?.includes(response.status)) {
      const text = await response.text().catch(() => '');
      const type = response.headers.get('content-type');
      throw errorFrom(base, what, { status: response.status, type, text });
    }
    return response;
  }

  // The timeout also covers reading the body, which shares the request's signal.
  const send = (spec: RequestSpec) => open(spec, AbortSignal.timeout(timeoutMs));

  async function stream(spec: Omit<RequestSpec, 'method' | 'body' | 'accept'>): Promise<Response> {
    // Cleared once the headers are in: a stream may then stay open for as long as it likes.
    const opening = new AbortController();
    const timer = setTimeout(() => opening.abort(), timeoutMs);
    try {
      return await open({ ...spec, method: 'GET' }, opening.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    url: base,
    send,
    stream,
    async json(spec) {
      const response = await send(spec);
      if (response.status === 204) return undefined;
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        throw unreachable(base, `${spec.method} ${spec.path}`, error);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        const type = response.headers.get('content-type') ?? 'no content type';
        throw invalidResponse(
          base,
          `${spec.method} ${spec.path} answered HTTP ${response.status} (${type}) with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
          { status: response.status },
        );
      }
    },
  };
}
