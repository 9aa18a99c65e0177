import { describe, expect, it } from 'vitest';
import { forbiddenContent } from '../../src/core/forbidden-content.ts';
import { createTaskmill } from '../../src/index.ts';
import { buildApp } from '../../src/server/app.ts';

describe('unexpected errors', () => {
  it('answer 500 with a request id, never the stack', async () => {
    const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: [] });
    const app = await buildApp(mill);
    app.get('/boom', async () => {
      throw new Error('secret detail at /srv/app.ts:12');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json() as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('INTERNAL_ERROR');
    expect(body.error.message).toContain(body.error.requestId);
    expect(res.body).not.toMatch(/secret detail|app\.ts/);
    await app.close();
    await mill.close();
  });
});

describe('forbiddenContent', () => {
  it('finds prototype-poisoning keys and NUL characters by path, and passes the rest', () => {
    expect(forbiddenContent(JSON.parse('{"a":[{"__proto__":{}}]}'))).toMatchObject({
      path: 'a.0.__proto__',
    });
    expect(forbiddenContent({ a: { constructor: { prototype: {} } } })).toMatchObject({
      path: 'a.constructor',
    });
    expect(forbiddenContent({ s: 'a\u0000b' })).toMatchObject({ path: 's' });
    expect(forbiddenContent({ constructor: 'a name', prototype: true, list: [1, 'x'] })).toBeNull();
  });

  it('refuses lone surrogates and nesting past 100 levels, without running out of stack', () => {
    expect(forbiddenContent({ tags: ['ok', '\ud800'] })).toEqual({
      path: 'tags.1',
      message: 'contains a lone UTF-16 surrogate',
    });
    expect(forbiddenContent({ ['k\udc00']: 1 })).toMatchObject({ message: /lone surrogate/ });
    expect(forbiddenContent({ emoji: '\u{1F600}' })).toBeNull();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(forbiddenContent(deep)).toMatchObject({ message: 'nests deeper than 100 levels' });
    let fine: unknown = 'leaf';
    for (let i = 0; i < 100; i++) fine = [fine];
    expect(forbiddenContent(fine)).toBeNull();
  });
});

describe('startServer from the public API', () => {
  it('serves the API of a mill on a free port until closed', async () => {
    const { startServer } = await import('../../src/index.ts');
    const mill = await createTaskmill({ database: 'sqlite::memory:', tasks: [] });
    const server = await startServer(mill, { port: 0 });
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toEqual({ status: 'ok', checks: {} });
    await server.close();
    await mill.close();
  });
});
