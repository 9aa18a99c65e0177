import type { TaskmillEventName, TaskmillEvents } from './events.ts';

export type Listener<E extends TaskmillEventName> = (payload: TaskmillEvents[E]) => void;

/**
 * A typed in-process bus. A listener that throws is reported on `listener.error` and never
 * reaches the emitter, so a bad listener cannot break a worker.
 */
export class EventBus {
  private readonly listeners = new Map<TaskmillEventName, Set<Listener<never>>>();

  on<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  once<E extends TaskmillEventName>(event: E, listener: Listener<E>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<E extends TaskmillEventName>(event: E, listener: Listener<E>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** For hot paths: build a payload only when someone listens. */
  has(event: TaskmillEventName): boolean {
    const set = this.listeners.get(event);
    return set !== undefined && set.size > 0;
  }

  emit<E extends TaskmillEventName>(event: E, payload: TaskmillEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
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
