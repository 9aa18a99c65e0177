import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const contract = readFileSync(new URL('../../src/store/contract.ts', import.meta.url), 'utf8');
const doc = readFileSync(new URL('../../docs/reference/store.md', import.meta.url), 'utf8');

/** The members of `interface Store`, read from the source: methods and properties, by name. */
function storeMembers(): string[] {
  const body = /export interface Store \{\n([\s\S]*?)\n\}/.exec(contract)?.[1];
  if (body === undefined) throw new Error('src/store/contract.ts has no `export interface Store`');
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:]/gm)].map((m) => m[1] ?? '');
}

describe('docs/reference/store.md and the Store contract', () => {
  const members = storeMembers();

  it('lists every member of the contract', () => {
    const missing = members.filter((name) => !doc.includes(`\`${name}`));
    expect(missing, 'members of Store that docs/reference/store.md does not name').toEqual([]);
  });

  it('stays within 30 members, or says why each extra one earns its place', () => {
    expect(members.length).toBeGreaterThan(20);
    if (members.length <= 30) return;
    expect(doc, 'docs/reference/store.md must explain the count it has').toContain(
      `Why ${members.length} members and not 30`,
    );
  });
});
