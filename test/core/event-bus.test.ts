import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/event-bus.ts';
import type { TaskmillEvents } from '../../src/core/events.ts';

function batch(count: number): TaskmillEvents['claim.batch'] {
  return { workerId: 'w1', count, ms: 1 };
}

describe('EventBus', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('delivers a payload to every listener of that event, in the order they were added', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('claim.batch', (p) => seen.push(`a${p.count}`));
    bus.on('claim.batch', (p) => seen.push(`b${p.count}`));
    bus.on('worker.stopped', () => seen.push('other'));
    bus.emit('claim.batch', batch(3));
    expect(seen).toEqual(['a3', 'b3']);
  });

  it('emits to nobody without error', () => {
    expect(() => new EventBus().emit('claim.batch', batch(1))).not.toThrow();
  });

  it('stops delivering after off, or after the function on returned', () => {
    const bus = new EventBus();
    const a = vi.fn();
    const b = vi.fn();
    bus.on('claim.batch', a);
    const offB = bus.on('claim.batch', b);
    bus.off('claim.batch', a);
    offB();
    bus.emit('claim.batch', batch(1));
    expect(a).not.toHaveBeenCalled();
    expect(b).not.toHaveBeenCalled();
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('reports whether an event has listeners', () => {
    const bus = new EventBus();
    expect(bus.has('claim.batch')).toBe(false);
    const off = bus.on('claim.batch', () => {});
    expect(bus.has('claim.batch')).toBe(true);
    expect(bus.has('worker.stopped')).toBe(false);
    off();
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('calls a once listener for the first emit only', () => {
    const bus = new EventBus();
    const fn = vi.fn();
    bus.once('claim.batch', fn);
    bus.emit('claim.batch', batch(1));
    bus.emit('claim.batch', batch(2));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith(batch(1));
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('removes a once listener by off, as with on', () => {
    const bus = new EventBus();
    const fn = vi.fn();
    bus.once('claim.batch', fn);
    bus.off('claim.batch', fn);
    bus.emit('claim.batch', batch(1));
    expect(fn).not.toHaveBeenCalled();
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('removes a once listener by the function once returned', () => {
    const bus = new EventBus();
    const fn = vi.fn();
    const off = bus.once('claim.batch', fn);
    off();
    bus.emit('claim.batch', batch(1));
    expect(fn).not.toHaveBeenCalled();
  });

  it('fires a once listener only once even if it emits the same event again', () => {
    const bus = new EventBus();
    let calls = 0;
    bus.once('claim.batch', (p) => {
      calls++;
      bus.emit('claim.batch', batch(p.count + 1));
    });
    bus.emit('claim.batch', batch(1));
    expect(calls).toBe(1);
  });

  it('keeps going past a listener that throws, and reports it on listener.error', () => {
    const bus = new EventBus();
    const failure = new Error('listener broke');
    const after = vi.fn();
    const reported: TaskmillEvents['listener.error'][] = [];
    bus.on('listener.error', (p) => reported.push(p));
    bus.on('claim.batch', () => {
      throw failure;
    });
    bus.on('claim.batch', after);
    expect(() => bus.emit('claim.batch', batch(1))).not.toThrow();
    expect(after).toHaveBeenCalledWith(batch(1));
    expect(reported).toEqual([{ event: 'claim.batch', error: failure }]);
  });

  it('warns the process when a listener throws and nobody listens for listener.error', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const bus = new EventBus();
    bus.on('claim.batch', () => {
      throw new Error('nobody hears');
    });
    expect(() => bus.emit('claim.batch', batch(1))).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('claim.batch');
    expect(String(warn.mock.calls[0]?.[0])).toContain('nobody hears');
  });

  it('swallows a throw from a listener.error listener instead of looping', () => {
    const bus = new EventBus();
    const second = vi.fn();
    bus.on('listener.error', () => {
      throw new Error('reporter broke');
    });
    bus.on('listener.error', second);
    bus.on('claim.batch', () => {
      throw new Error('first');
    });
    expect(() => bus.emit('claim.batch', batch(1))).not.toThrow();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('next resolves with the next matching payload and then stops listening', async () => {
    const bus = new EventBus();
    const waiting = bus.next('claim.batch', (p) => p.count > 5);
    bus.emit('claim.batch', batch(2));
    bus.emit('claim.batch', batch(7));
    await expect(waiting).resolves.toEqual(batch(7));
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('next without a match takes the first payload', async () => {
    const bus = new EventBus();
    const waiting = bus.next('worker.stopped');
    bus.emit('worker.stopped', { workerId: 'w9' });
    await expect(waiting).resolves.toEqual({ workerId: 'w9' });
  });

  it('next rejects after its timeout and stops listening', async () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const waiting = bus.next('claim.batch', () => true, 500);
    const outcome = expect(waiting).rejects.toThrow('no "claim.batch" event within 500 ms');
    await vi.advanceTimersByTimeAsync(499);
    expect(bus.has('claim.batch')).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    expect(bus.has('claim.batch')).toBe(false);
  });

  it('next leaves no timer behind once resolved', async () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const waiting = bus.next('claim.batch');
    bus.emit('claim.batch', batch(1));
    await waiting;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clear removes every listener', () => {
    const bus = new EventBus();
    const fn = vi.fn();
    bus.on('claim.batch', fn);
    bus.once('worker.stopped', fn);
    bus.clear();
    bus.emit('claim.batch', batch(1));
    bus.emit('worker.stopped', { workerId: 'w1' });
    expect(fn).not.toHaveBeenCalled();
  });
});
