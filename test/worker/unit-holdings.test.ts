/**
 * What the push dispatcher counts as held by each unit (issue 17, item 4): from the status
 * events of its tasks, only for the push units of the last round, and corrected from the
 * task's row when an event was missed.
 */
import { expect, it } from 'vitest';
import { EventBus } from '../../src/core/event-bus.ts';
import type { TaskStatus } from '../../src/core/status.ts';
import type { Task } from '../../src/core/task.ts';
import type { Store } from '../../src/store/contract.ts';
import { UnitHoldings } from '../../src/worker/remote/unit-holdings.ts';

function status(bus: EventBus, taskId: string, from: TaskStatus | null, to: TaskStatus, at = 0) {
  bus.emit('task.status', {
    taskId,
    type: 'A',
    queue: 'default',
    from,
    to,
    at: new Date(at),
    reason: null,
    workerId: to === 'running' ? 'u1' : null,
  });
}

/** A store whose only read here is `taskGet`, answering from `rows`. */
function storeOf(rows: Map<string, Pick<Task, 'status' | 'workerId'>>): Store {
  return { taskGet: async ({ id }: { id: string }) => rows.get(id) ?? null } as unknown as Store;
}

it('counts a unit’s running tasks from their events, and says when one frees a slot', () => {
  const bus = new EventBus();
  let freed = 0;
  const holdings = new UnitHoldings(bus, storeOf(new Map()), () => freed++);
  status(bus, 't0', 'queued', 'running');
  expect(holdings.held('u1')).toBe(0); // not a push unit of the last round
  holdings.keepOnly(new Set(['u1']));
  status(bus, 't1', 'queued', 'running');
  status(bus, 't2', 'queued', 'running');
  expect(holdings.held('u1')).toBe(2);
  status(bus, 't1', 'running', 'completed');
  expect([holdings.held('u1'), freed]).toEqual([1, 1]);
  status(bus, 't0', 'running', 'completed');
  expect(freed).toBe(1); // never counted
  holdings.forget('t2');
  expect(holdings.held('u1')).toBe(0);
  holdings.keepOnly(new Set(['u1']));
  status(bus, 't3', 'queued', 'running');
  holdings.keepOnly(new Set());
  expect(holdings.held('u1')).toBe(0);
  holdings.close();
});

it('drops a count whose task is no longer running under the unit, once it is old', async () => {
  const bus = new EventBus();
  const rows = new Map<string, Pick<Task, 'status' | 'workerId'>>();
  const holdings = new UnitHoldings(bus, storeOf(rows), () => {});
  holdings.keepOnly(new Set(['u1']));
  for (const id of ['old-done', 'old-running', 'new-done']) {
    status(bus, id, 'queued', 'running', id.startsWith('old') ? 1_000 : 9_000);
  }
  rows.set('old-done', { status: 'completed', workerId: null });
  rows.set('old-running', { status: 'running', workerId: 'u1' });
  rows.set('new-done', { status: 'completed', workerId: null });
  // Settled in another process: no event came.
  await holdings.reconcile(5_000);
  expect(holdings.held('u1')).toBe(2);
  await holdings.reconcile(10_000);
  expect(holdings.held('u1')).toBe(1);
  holdings.close();
});
