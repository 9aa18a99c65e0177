/**
 * Artifact names beyond ASCII and writes that fail (issue 14): a download of `ü.txt` or a name
 * with a right-to-left mark answers 200 with the name as RFC 6266 `filename*` and an ASCII
 * `filename`; the name limit counts bytes of UTF-8, so a long CJK name is ARTIFACT_NAME_INVALID
 * rather than a raw ENAMETOOLONG; and a write that fails leaves no file and no row, and tells the
 * handler a coded error that names no server path. On both stores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, defineTask, TaskmillError } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

let dataDir = '';
const put = defineTask({
  name: 'put',
  input: z.object({ name: z.string(), blockFolder: z.boolean().optional() }),
  run: async ({ name, blockFolder }, ctx) => {
    // A file where the task's artifact folder goes: the write fails as a full disk would.
    if (blockFolder) {
      mkdirSync(join(dataDir, 'artifacts'), { recursive: true });
      writeFileSync(join(dataDir, 'artifacts', ctx.task.id), 'in the way');
    }
    try {
      const artifact = await ctx.artifacts.put(name, 'bytes of the artifact');
      return { id: artifact.id };
    } catch (error) {
      if (!(error instanceof TaskmillError)) throw error;
      return { code: error.code, message: error.message, details: error.details };
    }
  },
});

forEachBackend((backend) => {
  const start = useApi(backend);

  async function run(name: string, blockFolder = false) {
    const api = await start([put]);
    dataDir = api.mill.dataDir;
    await api.mill.startWorker({ handleSignals: false, pollMs: 20 });
    const task = await api.mill.submit('put', { name, blockFolder });
    const done = await api.mill.wait(task.id, { timeoutMs: 10_000 });
    expect(done.status).toBe('completed');
    return { api, task, output: done.output as Record<string, unknown> };
  }

  it.each([
    ['ü.txt', 'filename="_.txt"', "filename*=UTF-8''%C3%BC.txt"],
    ['\u200fabc.txt', 'filename="_abc.txt"', "filename*=UTF-8''%E2%80%8Fabc.txt"],
    [
      'a "b" (1)*.txt',
      'filename="a _b_ (1)*.txt"',
      "filename*=UTF-8''a%20%22b%22%20%281%29%2A.txt",
    ],
  ])(
    'downloads %j with an RFC 6266 name, and the client reads it back',
    async (name, plain, utf8) => {
      const { api, task, output } = await run(name);
      const answer = await api.request('GET', `/api/v1/tasks/${task.id}/artifacts/${output['id']}`);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.text).toBe('bytes of the artifact');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; ${plain}; ${utf8}`);
      const client = createClient({ url: api.server.url });
      const download = await client.downloadArtifact(task.id, String(output['id']));
      expect(download.name).toBe(name);
    },
  );

  it('limits a name by its bytes of UTF-8: 66 CJK characters fit, 80 are refused with a code', async () => {
    const fits = await run('漢'.repeat(66));
    expect(fits.output['id']).toEqual(expect.any(String));
    const { api, task, output } = await run('漢'.repeat(80));
    expect(output['code']).toBe('ARTIFACT_NAME_INVALID');
    expect(output['message']).toContain('1..200 bytes of UTF-8');
    expect(output['message']).not.toContain(api.mill.dataDir);
    expect(await api.mill.artifacts(task.id)).toEqual([]);
  });

  it('a failed write leaves no file and no row; the handler gets a code and no server path', async () => {
    const { api, task, output } = await run('report.txt', true);
    expect(output).toEqual({
      code: 'ARTIFACT_WRITE_FAILED',
      message: expect.stringContaining('could not be written to the data folder'),
      details: { taskId: task.id, name: 'report.txt', reason: expect.stringMatching(/^E[A-Z]+$/) },
    });
    expect(JSON.stringify(output)).not.toContain(api.mill.dataDir);
    expect(await api.mill.artifacts(task.id)).toEqual([]);
    expect(await readdir(join(api.mill.dataDir, 'artifacts'))).toEqual([task.id]);
  });
});
