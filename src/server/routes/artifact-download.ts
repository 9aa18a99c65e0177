import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TaskmillError } from '../../core/errors.ts';
import type { Taskmill } from '../../mill/types.ts';
import { errorResponses, uuid } from '../schemas.ts';

function notFound(taskId: string, artifactId: string, why: string): TaskmillError {
  return new TaskmillError(
    'ARTIFACT_NOT_FOUND',
    `Artifact ${artifactId} of task ${taskId} ${why}.`,
    {
      details: { taskId, artifactId },
    },
  );
}

/**
 * RFC 6266: `filename*` carries the name as UTF-8 (RFC 8187), `filename` an ASCII stand-in for
 * clients that read only that. A header holds only Latin-1 bytes, and Node refuses anything
 * beyond them mid-response, so the name itself never goes in raw.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // encodeURIComponent leaves !'()* as they are; RFC 8187's attr-char does not take ' ( ) *.
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** `GET /api/v1/tasks/{id}/artifacts/{artifactId}`: the bytes, with their SHA-256. */
export function artifactDownloadRoute(app: FastifyInstance, mill: Taskmill): void {
  app.get<{ Params: { id: string; artifactId: string } }>(
    '/api/v1/tasks/:id/artifacts/:artifactId',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'downloadArtifact',
        summary: 'Download an artifact; Repr-Digest and ETag carry its SHA-256',
        params: {
          type: 'object',
          required: ['id', 'artifactId'],
          properties: { id: uuid, artifactId: uuid },
        },
        response: {
          200: { description: 'The artifact bytes (application/octet-stream)', type: 'string' },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { id, artifactId } = request.params;
      const artifact = (await mill.artifacts(id)).find((a) => a.id === artifactId);
      if (!artifact) throw notFound(id, artifactId, 'does not exist');
      const file = join(mill.dataDir, artifact.path);
      const size = await stat(file).then(
        (s) => s.size,
        () => null,
      );
      if (size === null) throw notFound(id, artifactId, 'has no file under the data folder');
      const b64 = Buffer.from(artifact.sha256, 'hex').toString('base64');
      reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', contentDisposition(artifact.name))
        .header('etag', `"${artifact.sha256}"`)
        .header('repr-digest', `sha-256=:${b64}:`);
      return reply.send(createReadStream(file));
    },
  );
}
