import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { EventBus } from '../../src/core/event-bus.ts';
import { IncidentLog } from '../../src/worker/incident-log.ts';

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
    log.success();
    expect(events).toEqual(['down', 'up after 5000']);
    expect(warnings).toHaveBeenCalledTimes(2);
    expect(String(warnings.mock.calls[0]?.[0])).toContain('ECONNREFUSED');
    expect(String(warnings.mock.calls[1]?.[0])).toContain('after 5 s');
    log.failure(new Error('again'));
    expect(events).toEqual(['down', 'up after 5000', 'down']);
  });
});
