/**
 * Issue 17, item 4: the push balancing strategy of `taskmill serve`, from the flag, the
 * environment or the config file, checked before anything opens, and in effect in a real
 * server: under by-unit-type each push unit gets only its unitType's tasks.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/cli/settings/config-file.ts';
import { resolveSettings } from '../../src/cli/settings/resolve.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { CliProcess, makeSandbox, runCli, type Sandbox } from './helpers.ts';

const PUSH_TASKS = fileURLToPath(new URL('./fixtures/push-tasks.ts', import.meta.url));

let box: Sandbox;
const servers: Server[] = [];
beforeEach(() => {
  box = makeSandbox();
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  box.cleanup();
});

function resolve(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const config = loadConfigFile(undefined, env, box.dir);
  return resolveSettings({ command: 'serve', flags, globals: {}, env, config });
}

describe('serve --push-strategy', () => {
  it('is read from the flag, TASKMILL_PUSH_STRATEGY or serve.pushStrategy', () => {
    writeFileSync(
      path.join(box.dir, 'taskmill.config.json'),
      JSON.stringify({ serve: { pushStrategy: 'by-unit-type' } }),
    );
    expect(resolve({}).settings.serve).toEqual({ pushStrategy: 'by-unit-type' });
    expect(resolve({}, { TASKMILL_PUSH_STRATEGY: 'round-robin' }).settings.serve).toEqual({
      pushStrategy: 'round-robin',
    });
    expect(
      resolve({ pushStrategy: 'least-loaded' }, { TASKMILL_PUSH_STRATEGY: 'round-robin' }).settings
        .serve,
    ).toEqual({ pushStrategy: 'least-loaded' });
  });

  it('refuses an unknown strategy with the allowed ones, before anything opens', async () => {
    const run = await runCli(
      [
        'serve',
        '--push-strategy',
        'fastest',
        '--port',
        '0',
        '--tasks',
        PUSH_TASKS,
        '--database',
        box.database,
      ],
      { cwd: box.dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'CLI_INPUT_INVALID: --push-strategy: "fastest" is not a push strategy; use one of least-loaded, round-robin, by-unit-type.',
    );
    expect(() => resolve({}, { TASKMILL_PUSH_STRATEGY: 'Round-Robin' })).toThrow(
      /TASKMILL_PUSH_STRATEGY: "Round-Robin" is not a push strategy/,
    );
  });

  it('pushes by unit type in a real server when asked to', async () => {
    const serve = new CliProcess(
      [
        'serve',
        '--push-strategy',
        'by-unit-type',
        '--port',
        '0',
        '--tasks',
        PUSH_TASKS,
        '--database',
        box.database,
      ],
      { cwd: box.dir },
    );
    try {
      await serve.waitForOutput(/serve\.pushStrategy\s+by-unit-type\s+\(--push-strategy\)/);
      const [, url] = (await serve.waitForOutput(/HTTP API: (http:\/\/\S+)\/api\/v1/)) as string[];
      const received: { a: string[]; b: string[] } = { a: [], b: [] };
      for (const kind of ['a', 'b'] as const) {
        const unit = createServer((req, res) => {
          let body = '';
          req.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          req.on('end', () => {
            received[kind].push((JSON.parse(body) as { task: { type: string } }).task.type);
            res.writeHead(202).end();
          });
        });
        servers.push(unit);
        await new Promise<void>((r) => unit.listen(0, '127.0.0.1', r));
        const answer = await fetch(`${url}/api/v1/execution-units/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: `unit-${kind}`,
            unitType: `unit.${kind}`,
            unitName: kind,
            capacity: 4,
            types: ['unit.a', 'unit.b'],
            endpoint: `http://127.0.0.1:${(unit.address() as AddressInfo).port}/`,
          }),
        });
        expect(answer.status).toBe(201);
      }
      const tasks = ['unit.a', 'unit.b', 'unit.a', 'unit.b'].map((type) => ({ type, input: {} }));
      const submitted = await fetch(`${url}/api/v1/tasks/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tasks }),
      });
      expect(submitted.status, await submitted.text()).toBe(201);
      await waitFor('four deliveries', () => received.a.length + received.b.length === 4);
      expect(received).toEqual({ a: ['unit.a', 'unit.a'], b: ['unit.b', 'unit.b'] });
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
  });
});
