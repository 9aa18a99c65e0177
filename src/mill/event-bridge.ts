import type { EventBus, EventForwarder } from '../core/event-bus.ts';
import type { TaskmillEventName, TaskmillEvents } from '../core/events.ts';
import { uuidv7 } from '../core/ids.ts';
import type { SharedEvent, Store } from '../store/contract.ts';

/** The events that describe tasks and schedules; the rest (claims, leases, workers) concern one
 * process. */
const SHARED: ReadonlySet<TaskmillEventName> = new Set<TaskmillEventName>([
  'task.status',
  'task.progress',
  'task.log',
  'task.soft_timeout',
  'schedule.fired',
  'schedule.skipped',
  'pipeline.run.started',
  'pipeline.step.started',
  'pipeline.step.ended',
  'pipeline.run.ended',
]);

/**
 * Connects this process's bus to the other processes on the same database, where the store can
 * carry events (PostgreSQL). Outgoing: task events are batched per turn of the event loop and
 * sent only while some process listens. Incoming: subscribed lazily, on the first local listener
 * of a task event; dates arrive as text and are made `Date`s again.
 */
export class EventBridge implements EventForwarder {
  private readonly origin = uuidv7();
  private readonly bus: EventBus;
  private readonly store: Store;
  private pending: SharedEvent[] = [];
  private scheduled = false;
  private unsubscribe: (() => void) | null = null;

  constructor(bus: EventBus, store: Store) {
    this.bus = bus;
    this.store = store;
  }

  static attach(bus: EventBus, store: Store): EventBridge | null {
    if (!store.eventPublish || !store.eventSubscribe || !store.eventHasAudience) return null;
    const bridge = new EventBridge(bus, store);
    bus.setForwarder(bridge);
    return bridge;
  }

  wants(event: TaskmillEventName): boolean {
    return SHARED.has(event) && (this.store.eventHasAudience?.() ?? false);
  }

  forward(event: TaskmillEventName, payload: unknown): void {
    this.pending.push({ origin: this.origin, name: event, payload });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = [];
      this.store.eventPublish?.({ events: batch });
    });
  }

  listening(event: TaskmillEventName): void {
    if (!SHARED.has(event) || this.unsubscribe) return;
    this.unsubscribe =
      this.store.eventSubscribe?.({
        listener: (events) => this.receive(events),
      }) ?? null;
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.bus.setForwarder(null);
  }

  private receive(events: SharedEvent[]): void {
    for (const e of events) {
      if (e.origin === this.origin || !SHARED.has(e.name as TaskmillEventName)) continue;
      const payload = { ...(e.payload as Record<string, unknown>) };
      if (typeof payload['at'] === 'string') payload['at'] = new Date(payload['at']);
      if (typeof payload['scheduledAt'] === 'string') {
        payload['scheduledAt'] = new Date(payload['scheduledAt']);
      }
      const name = e.name as TaskmillEventName;
      this.bus.deliver(name, payload as unknown as TaskmillEvents[typeof name]);
    }
  }
}
