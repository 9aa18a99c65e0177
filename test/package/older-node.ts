import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { nodeRefusal } from '../../src/core/node-version.ts';

/**
 * A Node.js on this machine too old for taskmill, found on PATH (a system Node is often one),
 * or undefined when there is none: the tests of the refusal then have nothing to run it on.
 */
export function olderNode(env: NodeJS.ProcessEnv): { path: string; version: string } | undefined {
  const mine = realpathSync(process.execPath);
  const seen = new Set<string>([mine]);
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    let path: string;
    try {
      path = join(dir, 'node');
      accessSync(path, constants.X_OK);
      if (seen.has(realpathSync(path))) continue;
      seen.add(realpathSync(path));
    } catch {
      continue;
    }
    const probe = spawnSync(path, ['-p', 'process.versions.node'], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { PATH: env['PATH'] },
    });
    const version = probe.stdout?.trim() ?? '';
    if (probe.status === 0 && nodeRefusal(version, path) !== undefined) return { path, version };
  }
  return undefined;
}
