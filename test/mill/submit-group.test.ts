import { describe, expect, it } from 'vitest';
import type { NewTask } from '../../src/core/new-task.ts';
import { SubmitGroup } from '../../src/mill/submit-group.ts';
import type { InsertResult, Store } from '../../src/store/contract.ts';

function row(id: string, idempotencyKey: string | null = null): NewTask {
  return {
    id,
    type: 't',
    queue: 'default',
    priority: 2,
    status: 'queued',
    input: {},
    maxAttempts: 1,
    runAt: 0,
    idempotencyKey,
    inputHash: null,
  };
}

/** Records each insert's rows; any insert holding `poison` fails, as a store error would. */
function recordingStore(poison?: string) {
  const calls: string[][] = [];
  const store = {
    async taskInsert(p: { tasks: NewTask[] }): Promise<InsertResult> {
      calls.push(p.tasks.map((t) => t.id));
      if (p.tasks.some((t) => t.id === poison)) throw new Error(`cannot store ${poison}`);
      return { ok: true, ids: p.tasks.map((t) => t.id), created: p.tasks.map(() => true) };
    },
  } as unknown as Store;
  return { store, calls };
}

describe('group commit of single submits', () => {
  it('inserts the submits of one turn together, and each caller hears when it is stored', async () => {
    const { store, calls } = recordingStore();
    const group = new SubmitGroup(store, () => 1_000);
    const answers = await Promise.all(['a', 'b', 'c'].map((id) => group.insert(row(id))));
    expect(answers).toEqual([1_000, 1_000, 1_000]);
    expect(calls).toEqual([['a', 'b', 'c']]);
    await group.insert(row('d'));
    expect(calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('fails only the submit whose row cannot be stored', async () => {
    const { store, calls } = recordingStore('b');
    const group = new SubmitGroup(store, () => 1_000);
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => group.insert(row(id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
  });

  it('sends batches, idempotency keys and caller transactions on their own', async () => {
    const { store, calls } = recordingStore();
    const group = new SubmitGroup(store, () => 1_000);
    await Promise.all([
      group.insertRows([row('k', 'key-1')], undefined),
      group.insertRows([row('x'), row('y')], undefined),
      group.insertRows([row('t')], { query() {} }),
      group.insertRows([row('g1')], undefined),
      group.insertRows([row('g2')], undefined),
    ]);
    expect(calls).toEqual([['k'], ['x', 'y'], ['t'], ['g1', 'g2']]);
  });
});
