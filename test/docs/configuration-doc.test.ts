import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/cli/settings/spec.ts';

const DOC = 'docs/reference/configuration.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

describe(`${DOC}: the settings of serve and worker`, () => {
  it('lists every setting with its config key, flag and environment variable on one row', () => {
    const missing = SETTINGS.filter((spec) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`));
      return (
        !row?.includes(`${spec.flag.name} ${spec.flag.arg}\``) || !row.includes(`\`${spec.env}\``)
      );
    }).map((spec) => spec.key);
    expect(missing, `settings without a full row in ${DOC}`).toEqual([]);
  });

  it('lists no setting the CLI does not have', () => {
    const keys = [...doc.matchAll(/^\| `((?:worker|serve)\.[\w.]+|retain\w*)` \|/gm)].map(
      (m) => m[1],
    );
    expect(keys.filter((k) => !SETTINGS.some((s) => s.key === k))).toEqual([]);
  });
});
