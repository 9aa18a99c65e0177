import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { buildApp, routesOf } from '../../src/server/app.ts';
import { DASHBOARD_ROUTES } from '../../src/server/dashboard.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { remoteTasks } from '../fixtures/remote-tasks.ts';

type Operation = { operationId?: string; requestBody?: unknown };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** Fastify's `/tasks/:id` as OpenAPI's `/tasks/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema and describes every route once', async () => {
    const mill = await createTaskmill({
      database: 'sqlite::memory:',
      tasks: [...apiTasks, ...remoteTasks],
    });
    const app = await buildApp(mill);
    try {
      await app.ready();
      const answer = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      const doc = answer.json() as Doc;

      const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);

      const ids = Object.values(doc.paths).flatMap((ops) =>
        Object.values(ops).map((op) => op.operationId),
      );
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);

      // Every API route a client can call is in the document (the docs UI and the document
      // itself excepted).
      const api = routesOf(app).filter(
        (r) =>
          r.method !== 'HEAD' &&
          !r.url.startsWith('/docs') &&
          r.url !== '/api/openapi.json' &&
          !DASHBOARD_ROUTES.includes(r.url),
      );
      for (const { method, url } of api) {
        expect(
          doc.paths[openApiPath(url)]?.[method.toLowerCase()],
          `${method} ${url}`,
        ).toBeDefined();
      }

      // One typed submit per task type, remote types too.
      for (const def of [...apiTasks, ...remoteTasks]) {
        const typed = doc.paths[`/api/v1/types/${def.name}/tasks`]?.['post'];
        expect(typed?.operationId, def.name).toBe(`submit_${def.name.replace(/[.:-]/g, '_')}`);
        expect(typed?.requestBody, def.name).toBeDefined();
      }
    } finally {
      await app.close();
      await mill.close();
    }
  });
});
