/** `GET /api/v1/access` and `client.access()`: what the caller's token may do, over a real socket
 * on SQLite. */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

const TOKENS = {
  read: 'read-token-0123456789',
  write: 'write-token-0123456789',
  admin: 'admin-token-0123456789',
  worker: 'worker-token-0123456789',
  readWorker: 'read-worker-token-0123456789',
};
const SPEC = [
  `${TOKENS.read}:read`,
  `${TOKENS.write}:write`,
  `${TOKENS.admin}:admin`,
  `${TOKENS.worker}:worker`,
  `${TOKENS.readWorker}:worker,read`,
].join(' ');

describe('what the caller may do', () => {
  const start = useApi(SQLITE);

  it('says every scope and no token needed when the server has no tokens', async () => {
    const api = await start(apiTasks);
    const res = await api.request('GET', '/api/v1/access');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      tokensRequired: false,
      scopes: ['read', 'write', 'admin', 'worker'],
    });
    expect(await createClient({ url: api.server.url }).access()).toEqual(res.json);
  });

  it("gives each token's scopes (admin reaching read and write), and 401 without a good token", async () => {
    const api = await start(apiTasks, { tokens: parseTokens(SPEC, 'test') });
    const scopes = async (token: string) => {
      const res = await api.request('GET', '/api/v1/access', undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(res.status, token).toBe(200);
      const body = res.json as { tokensRequired: boolean; scopes: string[] };
      expect(body.tokensRequired).toBe(true);
      return body.scopes;
    };
    expect(await scopes(TOKENS.read)).toEqual(['read']);
    expect(await scopes(TOKENS.write)).toEqual(['write']);
    expect(await scopes(TOKENS.admin)).toEqual(['read', 'write', 'admin']);
    expect(await scopes(TOKENS.worker)).toEqual(['worker']);
    expect(await scopes(TOKENS.readWorker)).toEqual(['read', 'worker']);

    const none = await api.request('GET', '/api/v1/access');
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    const bad = await api.request('GET', '/api/v1/access', undefined, {
      authorization: 'Bearer not-a-token-of-this-server',
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: { code: 'AUTH_INVALID' } });

    const anonymous = createClient({ url: api.server.url });
    expect((await errorOf(anonymous.access())).code).toBe('AUTH_REQUIRED');
    const admin = createClient({ url: api.server.url, token: TOKENS.admin });
    expect(await admin.access()).toEqual({
      tokensRequired: true,
      scopes: ['read', 'write', 'admin'],
    });
  });
});
