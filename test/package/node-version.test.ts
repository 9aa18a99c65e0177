import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, nodeRefusal } from '../../src/core/node-version.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

describe('the Node.js version check', () => {
  it('asks for what package.json engines says', () => {
    expect(pkg.engines.node).toBe(`>=${MIN_NODE}`);
  });

  it('accepts the minimum and anything newer', () => {
    const [major = 0, minor = 0] = MIN_NODE.split('.').map(Number);
    for (const version of [`${MIN_NODE}.0`, `${major}.${minor}.9`, `${major}.${minor + 1}.0`]) {
      expect(nodeRefusal(version, '/bin/node')).toBeUndefined();
    }
    expect(nodeRefusal(`${major + 1}.0.0`, '/bin/node')).toBeUndefined();
    expect(nodeRefusal(`v${major + 2}.3.1`, '/bin/node')).toBeUndefined();
  });

  it('refuses anything older in one line naming both versions and the executable', () => {
    const [major = 0, minor = 0] = MIN_NODE.split('.').map(Number);
    const older = minor > 0 ? `${major}.${minor - 1}.5` : `${major - 1}.99.0`;
    for (const version of [older, `${major - 1}.${minor + 1}.0`, '18.19.0']) {
      expect(nodeRefusal(version, '/usr/bin/node')).toBe(
        `taskmill needs Node.js ${MIN_NODE} or newer; this is ${version} (/usr/bin/node).`,
      );
    }
  });
});
