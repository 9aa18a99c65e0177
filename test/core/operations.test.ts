import { describe, expect, it } from 'vitest';
import {
  SHARED_OPERATIONS,
  type SharedOperations,
  sharedOperations,
} from '../../src/core/operations.ts';

/** An object that has every shared operation (each answering with its own name and `this`'s
 * label) and more besides. */
function source() {
  const ops = Object.fromEntries(
    SHARED_OPERATIONS.map((name) => [
      name,
      function (this: { label: string }, ...args: unknown[]) {
        return Promise.resolve({ name, label: this.label, args });
      },
    ]),
  );
  return { label: 'the source', close: () => Promise.resolve(), ...ops };
}

describe('sharedOperations', () => {
  it('takes every shared operation, bound to its source, and nothing else', async () => {
    const view = sharedOperations(source() as unknown as SharedOperations<unknown>);
    expect(Object.keys(view).sort()).toEqual([...SHARED_OPERATIONS].sort());
    expect(await view.cancel('t1', 'why')).toEqual({
      name: 'cancel',
      label: 'the source',
      args: ['t1', 'why'],
    });
    expect('close' in view).toBe(false);
  });
});
