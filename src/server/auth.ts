/**
 * Access tokens with scopes. `read` reaches what only reads, `write` submits, cancels and
 * retries, `admin` reaches everything but the worker protocol (queues, schedules, pipeline runs,
 * deletion), `worker` only the worker protocol; `GET /api/v1/access` (what the token may do)
 * takes any valid token. With no tokens configured every route is open,
 * and the server listens on loopback only (serve.ts). Tokens are compared in constant time and
 * never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TaskmillError, ValidationError } from '../core/errors.ts';

export const SCOPES = ['read', 'write', 'admin', 'worker'] as const;
export type Scope = (typeof SCOPES)[number];
/** What a route needs: a scope; `token`: any valid token, whatever its scopes (what the caller
 * may do: a dashboard asks before it knows); or nothing (`public`: liveness and readiness only). */
export type RouteAccess = Scope | 'token' | 'public';

export interface AccessToken {
  /** SHA-256 of the token: what is kept and compared. */
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Parse `token1:read,write token2:read` (whitespace or newlines between tokens; `#` starts a
 * comment line in a file). A bad entry fails naming its position, never the token.
 */
export function parseTokens(spec: string, source: string): AccessToken[] {
  const entries = spec
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
  return entries.map((entry, i) => {
    const at = entry.lastIndexOf(':');
    const token = at > 0 ? entry.slice(0, at) : '';
    const scopes = at > 0 ? entry.slice(at + 1).split(',') : [];
    const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (at <= 0 || token.length < 16 || bad.length > 0) {
      const why =
        at <= 0
          ? 'it has no ":<scopes>" part'
          : token.length < 16
            ? 'the token must be at least 16 characters'
            : `scopes must be some of ${SCOPES.join(', ')} (not ${bad.join(', ')})`;
      throw new ValidationError(
        'OPTIONS_INVALID',
        `Access token ${i + 1} in ${source} is not valid: ${why}. Write each as <token>:<scope>[,<scope>…].`,
        [{ path: `${source}[${i}]`, message: why }],
      );
    }
    return { digest: digest(token), scopes: new Set(scopes as Scope[]) };
  });
}

/** Tokens from `--tokens FILE`, else from TASKMILL_TOKENS, else none. */
export function loadTokens(file: string | undefined, env = process.env): AccessToken[] {
  if (file) return parseTokens(readFileSync(file, 'utf8'), file);
  const spec = env['TASKMILL_TOKENS'];
  return spec ? parseTokens(spec, 'TASKMILL_TOKENS') : [];
}

function grants(token: AccessToken, need: Scope | 'token'): boolean {
  if (need === 'token' || token.scopes.has(need)) return true;
  return need !== 'worker' && token.scopes.has('admin');
}

/** Each request's token, once the guard found it: what `scopesOf` reads. */
const TOKEN_OF = new WeakMap<FastifyRequest, AccessToken>();

/** The scopes the request's token grants, `admin` counting for `read` and `write` too (as the
 * guard lets it); every scope when the server has no tokens (every route is open). */
export function scopesOf(request: FastifyRequest, tokensRequired: boolean): Scope[] {
  if (!tokensRequired) return [...SCOPES];
  const token = TOKEN_OF.get(request);
  return token ? SCOPES.filter((scope) => grants(token, scope)) : [];
}

/** What each route needs, by its operation id: one table to read when reviewing access. */
const ACCESS: Record<string, RouteAccess> = {
  health: 'public',
  ready: 'public',
  databaseHealth: 'public',
  // The dashboard's page and files hold no data: the app asks for a token before any call.
  dashboard: 'public',
  dashboardFile: 'public',
  access: 'token',
  openapi: 'read',
  listTasks: 'read',
  getTask: 'read',
  getTaskHistory: 'read',
  getTaskAttempts: 'read',
  getTaskLogs: 'read',
  listTaskArtifacts: 'read',
  downloadArtifact: 'read',
  listTaskTypes: 'read',
  listQueues: 'read',
  listWorkers: 'read',
  getWorkerTasks: 'read',
  stats: 'read',
  events: 'read',
  metrics: 'read',
  listSchedules: 'read',
  getSchedule: 'read',
  nextScheduleTimes: 'read',
  listScheduleRuns: 'read',
  scheduleReport: 'read',
  listPipelines: 'read',
  listPipelineRuns: 'read',
  getPipelineRun: 'read',
  getPipelineRunGraph: 'read',
  getPipelineBatch: 'read',
  submitTask: 'write',
  submitTasks: 'write',
  cancelTask: 'write',
  retryTask: 'write',
  retryTasks: 'write',
  cancelTasks: 'write',
  updateTask: 'write',
  setTaskStatus: 'write',
  deleteTask: 'admin',
  pauseQueue: 'admin',
  resumeQueue: 'admin',
  setQueueConcurrency: 'admin',
  createSchedule: 'admin',
  applySchedules: 'admin',
  updateSchedule: 'admin',
  deleteSchedule: 'admin',
  enableSchedule: 'admin',
  disableSchedule: 'admin',
  runSchedule: 'admin',
  startPipelineRun: 'admin',
  cancelPipelineRun: 'admin',
  resumePipelineRun: 'admin',
  registerWorker: 'worker',
  registerExecutionUnit: 'worker',
  deregisterWorker: 'worker',
  workerHeartbeat: 'worker',
  executionUnitHeartbeat: 'worker',
  claimTasks: 'worker',
  reportProgress: 'worker',
  reportLogs: 'worker',
  completeTask: 'worker',
  failTask: 'worker',
  releaseTask: 'worker',
};

/** What a route needs; a route missing from the table needs `admin` (fail closed). */
export function accessOf(request: FastifyRequest): RouteAccess {
  const operation = (request.routeOptions.schema as { operationId?: string } | undefined)
    ?.operationId;
  if (operation !== undefined) {
    // One typed submit route per task type: submit_<type>.
    if (operation.startsWith('submit_')) return 'write';
    const access = ACCESS[operation];
    if (access) return access;
  }
  const url = request.routeOptions.url ?? '';
  // The API's browser, registered by @fastify/swagger-ui.
  if (url === '/docs' || url.startsWith('/docs/')) return 'read';
  return 'admin';
}

function find(tokens: readonly AccessToken[], presented: string): AccessToken | null {
  const d = digest(presented);
  let found: AccessToken | null = null;
  // Every token is compared, so the time taken does not tell which one matched.
  for (const t of tokens) if (timingSafeEqual(t.digest, d)) found = t;
  return found;
}

export function requireTokens(app: FastifyInstance, tokens: readonly AccessToken[]): void {
  if (tokens.length === 0) return;
  app.addHook('onRequest', async (request) => {
    const need = accessOf(request);
    if (need === 'public') return;
    const header = request.headers.authorization;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) {
      throw new TaskmillError(
        'AUTH_REQUIRED',
        'This server needs an access token: send Authorization: Bearer <token>.',
      );
    }
    const token = find(tokens, match[1]);
    if (!token)
      throw new TaskmillError('AUTH_INVALID', 'The access token is not one this server knows.');
    TOKEN_OF.set(request, token);
    if (!grants(token, need)) {
      throw new TaskmillError(
        'AUTH_FORBIDDEN',
        `This route needs the "${need}" scope, which the token does not have.`,
        { details: { needs: need } },
      );
    }
  });
}
