import { describe, expect, it } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { buildApp, routesOf } from '../../src/server/app.ts';
import { loadTokens, parseTokens, type Scope } from '../../src/server/auth.ts';
import { DASHBOARD_ROUTES } from '../../src/server/dashboard.ts';
import { startServer } from '../../src/server/serve.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';

const TOKENS: Record<Scope, string> = {
  read: 'read-token-0123456789',
  write: 'write-token-0123456789',
  admin: 'admin-token-0123456789',
  worker: 'worker-token-0123456789',
};
const SPEC = Object.entries(TOKENS)
  .map(([scope, token]) => `${token}:${scope}`)
  .join(' ');

/**
 * What each route must need, written here independently of the server's own table: a route the
 * server has and this table lacks fails the test, so a new route cannot ship without a decision.
 */
function expectedAccess(method: string, url: string): Scope | 'token' | 'public' | undefined {
  // What the caller may do: any valid token asks it, whatever its scopes.
  if (method === 'GET' && url === '/api/v1/access') return 'token';
  if (url === '/health' || url === '/health/ready' || url === '/health/database') return 'public';
  // The dashboard's page and files: no data in them, and the page must load to ask for a token.
  if (method === 'GET' && DASHBOARD_ROUTES.includes(url)) return 'public';
  if (url === '/docs' || url.startsWith('/docs/') || url === '/api/openapi.json') return 'read';
  if (method === 'POST' && /^\/api\/v1\/types\/[^/]+\/tasks$/.test(url)) return 'write';
  const table: Record<string, Scope> = {
    'POST /api/v1/tasks': 'write',
    'POST /api/v1/tasks/batch': 'write',
    'GET /api/v1/tasks': 'read',
    'GET /api/v1/tasks/:id': 'read',
    'GET /api/v1/tasks/:id/history': 'read',
    'GET /api/v1/tasks/:id/attempts': 'read',
    'GET /api/v1/tasks/:id/logs': 'read',
    'GET /api/v1/tasks/:id/artifacts': 'read',
    'GET /api/v1/tasks/:id/artifacts/:artifactId': 'read',
    'POST /api/v1/tasks/:id/cancel': 'write',
    'POST /api/v1/tasks/:id/retry': 'write',
    'POST /api/v1/tasks/retry': 'write',
    'POST /api/v1/tasks/cancel': 'write',
    'PATCH /api/v1/tasks/:id': 'write',
    'PUT /api/v1/tasks/:id/status': 'write',
    'DELETE /api/v1/tasks/:id': 'admin',
    'GET /api/v1/task-types': 'read',
    'GET /api/v1/queues': 'read',
    'POST /api/v1/queues/:name/pause': 'admin',
    'POST /api/v1/queues/:name/resume': 'admin',
    'PUT /api/v1/queues/:name/concurrency': 'admin',
    'GET /api/v1/workers': 'read',
    'GET /api/v1/workers/:workerId/tasks': 'read',
    'GET /api/v1/schedules': 'read',
    'GET /api/v1/schedules/report': 'read',
    'GET /api/v1/schedules/:name': 'read',
    'GET /api/v1/schedules/:name/next': 'read',
    'GET /api/v1/schedules/:name/runs': 'read',
    'POST /api/v1/schedules': 'admin',
    'PUT /api/v1/schedules': 'admin',
    'PATCH /api/v1/schedules/:name': 'admin',
    'DELETE /api/v1/schedules/:name': 'admin',
    'POST /api/v1/schedules/:name/enable': 'admin',
    'POST /api/v1/schedules/:name/disable': 'admin',
    'POST /api/v1/schedules/:name/run': 'admin',
    'GET /api/v1/pipelines': 'read',
    'POST /api/v1/pipelines/:name/runs': 'admin',
    'GET /api/v1/pipeline-runs': 'read',
    'GET /api/v1/pipeline-runs/:id': 'read',
    'GET /api/v1/pipeline-runs/:id/graph': 'read',
    'POST /api/v1/pipeline-runs/:id/cancel': 'admin',
    'POST /api/v1/pipeline-runs/:id/resume': 'admin',
    'GET /api/v1/pipeline-batches/:id': 'read',
    'GET /api/v1/stats': 'read',
    'GET /api/v1/events': 'read',
    'GET /metrics': 'read',
    'POST /api/v1/workers': 'worker',
    'DELETE /api/v1/workers/:workerId': 'worker',
    'POST /api/v1/workers/:workerId/heartbeat': 'worker',
    'POST /api/v1/execution-units/register': 'worker',
    'POST /api/v1/execution-units/:workerId/heartbeat': 'worker',
    'POST /api/v1/workers/:workerId/claim': 'worker',
    'POST /api/v1/workers/:workerId/tasks/:taskId/progress': 'worker',
    'POST /api/v1/workers/:workerId/tasks/:taskId/logs': 'worker',
    'POST /api/v1/workers/:workerId/tasks/:taskId/complete': 'worker',
    'POST /api/v1/workers/:workerId/tasks/:taskId/fail': 'worker',
    'POST /api/v1/workers/:workerId/tasks/:taskId/release': 'worker',
  };
  return table[`${method} ${url}`];
}

function reaches(scope: Scope, need: Scope | 'token'): boolean {
  return need === 'token' || scope === need || (scope === 'admin' && need !== 'worker');
}

describe('access tokens', () => {
  it('guards every route: 401 without a token, 403 for each scope that must not reach it', async () => {
    const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: apiTasks });
    const app = await buildApp(mill, { tokens: parseTokens(SPEC, 'test') });
    await app.ready();
    const routes = routesOf(app).filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, url } of routes) {
      const need = expectedAccess(method, url);
      expect(need, `${method} ${url} has no expected access in this test's table`).toBeDefined();
      const path = url
        .replace(':id', '01a2126e-ba75-7080-bf0b-fcb63fe5316f')
        .replace(':artifactId', '01a2126e-ba75-7080-bf0b-fcb63fe5316f')
        .replace(':workerId', '01a2126e-ba75-7080-bf0b-fcb63fe5316f')
        .replace(':taskId', '01a2126e-ba75-7080-bf0b-fcb63fe5316f')
        .replace(':name', 'default')
        .replace('*', 'index.html')
        // A granted stream would never end; a bad kind answers 400 once the token has passed.
        .replace(/^\/api\/v1\/events$/, '/api/v1/events?kind=nope');
      const call = (token?: string) =>
        app.inject({
          method: method as 'GET',
          url: path,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      const anonymous = await call();
      if (need === 'public') {
        expect(anonymous.statusCode, `${method} ${url}`).toBeLessThan(400);
        continue;
      }
      expect(anonymous.statusCode, `${method} ${url} without a token`).toBe(401);
      expect((await call('not-a-token-of-this-server')).statusCode).toBe(401);
      for (const [scope, token] of Object.entries(TOKENS) as [Scope, string][]) {
        const status = (await call(token)).statusCode;
        if (reaches(scope, need as Scope | 'token')) {
          expect([401, 403], `${method} ${url} with ${scope}`).not.toContain(status);
        } else {
          expect(status, `${method} ${url} with ${scope}`).toBe(403);
        }
      }
    }
    await app.close();
    await mill.close();
  });

  it('refuses bad token specs, naming the entry and never the token', () => {
    expect(() => parseTokens('short:read', 'TASKMILL_TOKENS')).toThrow(/token 1 .*16 characters/);
    expect(() => parseTokens('long-enough-token-123:read,root', 'x')).toThrow(/not root/);
    expect(() => parseTokens('long-enough-token-123', 'x')).toThrow(/no ":<scopes>" part/);
    expect(() => parseTokens('secret-secret-secret:sudo', 'x')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-secret-secret') }),
    );
    expect(loadTokens(undefined, { TASKMILL_TOKENS: SPEC })).toHaveLength(4);
    expect(loadTokens(undefined, {})).toEqual([]);
  });

  it('refuses to listen beyond loopback without tokens, and allows it with them', async () => {
    const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: apiTasks });
    await expect(startServer(mill, { port: 0, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
    });
    const server = await startServer(mill, {
      port: 0,
      host: '0.0.0.0',
      tokens: parseTokens(SPEC, 'test'),
    });
    const res = await fetch(`${server.url.replace('0.0.0.0', '127.0.0.1')}/api/v1/tasks`);
    expect(res.status).toBe(401);
    await server.close();
    await mill.close();
  });
});
