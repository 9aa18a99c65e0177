import type { EventBus } from '../core/event-bus.ts';
import { decideRecovery } from '../core/recovery.ts';
import type { RunEnd, Settlement, Store } from '../store/contract.ts';
import { emitSettled } from './status-events.ts';

/**
 * The sweeper: recover running tasks whose worker stopped renewing their lease (killed, frozen,
 * cut off). Every live worker sweeps; the settle only applies while the lease is still expired
 * and the token unchanged, so exactly one sweeper recovers each task. The event it emits keeps
 * its published name, `lease.reaped`.
 */
export async function sweepExpiredLeases(p: {
  store: Store;
  bus: EventBus;
  now: () => number;
  workerId: string;
  crashLimit: number;
  batch?: number;
  /** A recovery ended a pipeline run: its event and hooks (the step runtime's `runEnded`). */
  onRunEnded?: ((end: RunEnd) => void) | undefined;
}): Promise<number> {
  const expired = await p.store.leaseListExpired({ now: p.now(), limit: p.batch ?? 100 });
  if (expired.length === 0) return 0;
  const items: Settlement[] = expired.map((lease) => {
    const decision = decideRecovery({
      crashCount: lease.crashCount,
      crashLimit: p.crashLimit,
      cancelRequested: lease.cancelRequested,
    });
    return {
      id: lease.id,
      token: lease.token,
      to: decision.to,
      outcome: 'crashed',
      reason: lease.workerId
        ? `${decision.reason}; lease of worker ${lease.workerId} expired`
        : decision.reason,
      error: decision.error,
      refundAttempt: decision.to === 'queued',
      crashed: true,
      onlyIfExpired: true,
      ...(lease.runId === null ? {} : { runId: lease.runId }),
    };
  });
  const results = await p.store.taskSettle({ now: p.now(), workerId: p.workerId, items });
  const recovered: string[] = [];
  results.forEach((r, i) => {
    const item = items[i];
    const lease = expired[i];
    if (!r.ok || !item || !lease) return;
    recovered.push(item.id);
    if (r.runEnded !== undefined) p.onRunEnded?.(r.runEnded);
    emitSettled(p.bus, {
      task: lease,
      from: r.from,
      to: r.to,
      reason: item.reason,
      workerId: p.workerId,
      now: p.now(),
    });
  });
  if (recovered.length > 0)
    p.bus.emit('lease.reaped', { taskIds: recovered, workerId: p.workerId });
  return recovered.length;
}
