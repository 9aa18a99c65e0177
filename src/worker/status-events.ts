import type { EventBus } from '../core/event-bus.ts';
import type { TaskStatus } from '../core/status.ts';
import type { ClaimedTask } from '../store/contract.ts';

/** `task.status` for a task a worker (in process or remote) just claimed; built only when
 * someone listens. */
export function emitClaimed(bus: EventBus, workerId: string, claimed: ClaimedTask, now: number) {
  if (!bus.has('task.status')) return;
  const t = claimed.task;
  bus.emit('task.status', {
    taskId: t.id,
    type: t.type,
    queue: t.queue,
    from: claimed.previousStatus,
    to: 'running',
    at: new Date(now),
    reason: 'claimed',
    workerId,
  });
}

/** `task.status` for an attempt whose ending the store took. */
export function emitSettled(
  bus: EventBus,
  p: {
    task: { id: string; type: string; queue: string };
    from: TaskStatus;
    to: TaskStatus;
    reason: string | null;
    workerId: string;
    now: number;
    durationMs?: number;
  },
): void {
  if (!bus.has('task.status')) return;
  bus.emit('task.status', {
    taskId: p.task.id,
    type: p.task.type,
    queue: p.task.queue,
    from: p.from,
    to: p.to,
    at: new Date(p.now),
    reason: p.reason,
    workerId: p.workerId,
    ...(p.durationMs === undefined ? {} : { durationMs: p.durationMs }),
  });
}
