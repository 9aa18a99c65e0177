import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const contract = readFileSync(new URL('../../src/store/contract.ts', import.meta.url), 'utf8');
const pipelineContract = readFileSync(
  new URL('../../src/store/pipeline-contract.ts', import.meta.url),
  'utf8',
);
const taskChangeContract = readFileSync(
  new URL('../../src/store/task-change-contract.ts', import.meta.url),
  'utf8',
);
const workerContract = readFileSync(
  new URL('../../src/store/worker-contract.ts', import.meta.url),
  'utf8',
);
const doc = readFileSync(new URL('../../docs/reference/store.md', import.meta.url), 'utf8');

/** The members of an interface in `source`, read from the source: methods and properties. */
function membersOf(source: string, head: RegExp, what: string): string[] {
  const body = new RegExp(`${head.source}\\{\\n([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`no ${what} found`);
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:]/gm)].map((m) => m[1] ?? '');
}

/** The members of `interface Store` and of the parts it extends (`PipelineStore`,
 * `TaskChangeStore`, `WorkerStore`). */
function storeMembers(): string[] {
  return [
    ...membersOf(
      contract,
      /export interface Store extends PipelineStore, TaskChangeStore, WorkerStore /,
      'interface Store',
    ),
    ...membersOf(pipelineContract, /export interface PipelineStore /, 'interface PipelineStore'),
    ...membersOf(taskChangeContract, /export interface TaskChangeStore /, 'TaskChangeStore'),
    ...membersOf(workerContract, /export interface WorkerStore /, 'WorkerStore'),
  ];
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
