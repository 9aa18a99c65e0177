import type { TaskmillEventName, TaskmillEvents } from './events.ts';

export type Listener<E extends TaskmillEventName> = (payload: TaskmillEvents[E]) => void;

/** Carries some events beyond this process (see `mill/event-bridge.ts`). */
export interface EventForwarder {
  /** Whether `event` should be built and forwarded now (someone elsewhere listens). */
  wants(event: TaskmillEventName): boolean;
  forward(event: TaskmillEventName, payload: unknown): void;
  /** The first local listener for `event` arrived. */
  listening(event: TaskmillEventName): void;
}

/**
 * A typed in-process bus. A listener that throws is reported on `listener.error` and never
 * reaches the emitter, so a bad listener cannot break a worker.
 */
export class EventBus {
  // Each listener maps to whether it is a `once`; keeping the caller's own function as the key
  // (rather than a wrapper) lets `off(event, fn)` remove a `once(event, fn)` too.
  private readonly listeners = new Map<TaskmillEventName, Map<Listener<never>, boolean>>();
  private forwarder: EventForwarder | null = null;

  setForwarder(forwarder: EventForwarder | null): void {
    this.forwarder = forwarder;
  }

  on<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void {
    return this.add(event, listener, false);
  }

  once<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void {
    return this.add(event, listener, true);
  }

  off<E extends TaskmillEventName>(event: E, listener: Listener<E>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  private add<E extends TaskmillEventName>(
    event: E,
    listener: Listener<E>,
    once: boolean,
  ): () => void {
    let map = this.listeners.get(event);
    if (!map) {
      map = new Map();
      this.listeners.set(event, map);
    }
    map.set(listener as Listener<never>, once);
    if (map.size === 1) this.forwarder?.listening(event);
    return () => this.off(event, listener);
  }

  /** For hot paths: build a payload only when someone listens. */
  has(event: TaskmillEventName): boolean {
    const map = this.listeners.get(event);
    return (map !== undefined && map.size > 0) || (this.forwarder?.wants(event) ?? false);
  }

  emit<E extends TaskmillEventName>(event: E, payload: TaskmillEvents[E]): void {
    if (this.forwarder?.wants(event)) this.forwarder.forward(event, payload);
    this.deliver(event, payload);
  }

  /** Deliver to this process's listeners only: an event that came from another process. */
  deliver<E extends TaskmillEventName>(event: E, payload: TaskmillEvents[E]): void {
    const map = this.listeners.get(event);
    if (!map || map.size === 0) return;
    for (const [listener, once] of [...map]) {
      // Removed first, so a once listener that emits the same event is not called again.
      if (once) map.delete(listener);
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        if (event === 'listener.error') continue;
        if (this.has('listener.error')) this.emit('listener.error', { event, error });
        else process.emitWarning(`taskmill: a "${event}" listener threw: ${String(error)}`);
      }
    }
  }

  /** Resolve with the next payload that matches, or reject after `timeoutMs`. */
  next<E extends TaskmillEventName>(
    event: E,
    match: (payload: TaskmillEvents[E]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<TaskmillEvents[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no "${event}" event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(event, (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
  }

  clear(): void {
    this.listeners.clear();
  }
}
