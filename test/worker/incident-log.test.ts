import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { EventBus } from '../../src/core/event-bus.ts';
import { IncidentLog, RECOVERY_CONFIRM_MS } from '../../src/worker/incident-log.ts';

describe('IncidentLog', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('warns once when failures start and once when the database answers again', () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const clock = new ManualClock(0);
    const bus = new EventBus();
    const events: string[] = [];
    bus.on('database.unavailable', () => events.push('down'));
    bus.on('database.recovered', (e) => events.push(`up after ${e.downMs}`));
    const log = new IncidentLog(bus, () => clock.now(), 'worker w1');
    log.success();
    for (let i = 0; i < 50; i++) {
      log.failure(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      clock.advance(100);
    }
    expect(log.failing).toBe(true);
    log.success();
    clock.advance(RECOVERY_CONFIRM_MS - 1);
    log.success();
    expect(events, 'not before the database kept answering for a while').toEqual(['down']);
    clock.advance(1);
    log.success();
    log.success();
    // Dated at the first success: that is when the database answered again.
    expect(events).toEqual(['down', 'up after 5000']);
    expect(warnings).toHaveBeenCalledTimes(2);
    expect(String(warnings.mock.calls[0]?.[0])).toContain('ECONNREFUSED');
    expect(String(warnings.mock.calls[1]?.[0])).toContain('after 5 s');
    log.failure(new Error('again'));
    expect(events).toEqual(['down', 'up after 5000', 'down']);
  });

  it('keeps one incident when a failure follows the first success after a restart', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const clock = new ManualClock(0);
    const bus = new EventBus();
    const events: string[] = [];
    bus.on('database.unavailable', () => events.push('down'));
    bus.on('database.recovered', (e) => events.push(`up at ${e.at.getTime()} after ${e.downMs}`));
    const log = new IncidentLog(bus, () => clock.now(), 'worker w1');
    log.failure(new Error('terminating connection due to administrator command'));
    clock.advance(3_000);
    // A new connection answers; a pooled one the restart ended fails a moment later.
    log.success();
    clock.advance(20);
    log.failure(new Error('Connection terminated unexpectedly'));
    expect(log.failing).toBe(true);
    clock.advance(30);
    log.success();
    clock.advance(RECOVERY_CONFIRM_MS);
    log.success();
    expect(events).toEqual(['down', 'up at 3050 after 3050']);
    expect(log.failing).toBe(false);
  });
});
