import type { EventBus } from '../../core/event-bus.ts';
import type { Store } from '../../store/contract.ts';

/**
 * What each unit holds now, as this process sees it: a task counts for a unit from the
 * `task.status` that made it `running` under the unit's id (a delivery, or a claim of its own)
 * until the one that took it out of `running` (completed, failed, released, swept). On
 * PostgreSQL those events come from every server process; elsewhere a settlement in another
 * process is missed, so a count left over after a lease has had time to end is checked against
 * the task's row (`reconcile`). It only sizes a round's plan (balancing.ts): the store's
 * capacity cap decides, so a count that is off costs a claim, never a task over capacity.
 */
export class UnitHoldings {
  private readonly store: Store;
  private readonly byTask = new Map<string, { unitId: string; since: number }>();
  private readonly counts = new Map<string, number>();
  /** The push units of the last round: other workers' tasks are not counted. */
  private watched: ReadonlySet<string> = new Set();
  private readonly off: () => void;

  /** `freed` is called when a task leaves `running`: a unit may have a free slot. */
  constructor(bus: EventBus, store: Store, freed: () => void) {
    this.store = store;
    this.off = bus.on('task.status', (e) => {
      if (e.to === 'running' && e.workerId !== null && this.watched.has(e.workerId)) {
        this.drop(e.taskId);
        this.byTask.set(e.taskId, { unitId: e.workerId, since: e.at.getTime() });
        this.counts.set(e.workerId, (this.counts.get(e.workerId) ?? 0) + 1);
      } else if (e.from === 'running' && this.drop(e.taskId)) {
        freed();
      }
    });
  }

  held(unitId: string): number {
    return this.counts.get(unitId) ?? 0;
  }

  /** Count for the units in `live` only: forget those gone offline or deregistered. */
  keepOnly(live: ReadonlySet<string>): void {
    this.watched = live;
    for (const [taskId, h] of this.byTask) if (!live.has(h.unitId)) this.drop(taskId);
  }

  /** Re-read the tasks counted since before `olderThan`: drop those no longer running under
   * the unit that the count gives them to. */
  async reconcile(olderThan: number): Promise<void> {
    const old = [...this.byTask].filter(([, h]) => h.since < olderThan);
    for (const [taskId, h] of old) {
      const task = await this.store.taskGet({ id: taskId });
      if (task?.status !== 'running' || task.workerId !== h.unitId) this.drop(taskId);
      else h.since = olderThan;
    }
  }

  /** A task given back without an event (a failed delivery): no longer held. */
  forget(taskId: string): void {
    this.drop(taskId);
  }

  close(): void {
    this.off();
  }

  private drop(taskId: string): boolean {
    const h = this.byTask.get(taskId);
    if (!h) return false;
    this.byTask.delete(taskId);
    const left = (this.counts.get(h.unitId) ?? 1) - 1;
    if (left > 0) this.counts.set(h.unitId, left);
    else this.counts.delete(h.unitId);
    return true;
  }
}
