import { describe, expect, it } from 'vitest';
import { TaskmillError } from '../../src/core/errors.ts';
import type { Service } from '../../src/core/service.ts';
import { ServiceHost } from '../../src/mill/service-host.ts';
import { ManualTimers } from '../helpers/manual-timers.ts';
import { gate } from '../helpers/mill.ts';

function setup() {
  const timers = new ManualTimers();
  const errors: { service: string; message: string }[] = [];
  const host = new ServiceHost({
    clock: timers.clock,
    timers,
    onError: (service, error) => errors.push({ service, message: (error as Error).message }),
  });
  return { timers, host, errors };
}

function counting(name: string, everyMs: number, extra: Partial<Service> = {}) {
  const runsAt: number[] = [];
  return { runsAt, service: { name, everyMs, run: async () => void runsAt.push(0), ...extra } };
}

describe('the service host', () => {
  it('runs each service every everyMs on its own timer, measured from the end of a run', async () => {
    const { timers, host } = setup();
    const start = timers.clock.now();
    const beats: number[] = [];
    const sweeps: number[] = [];
    host.add({
      name: 'heartbeat',
      everyMs: 1_000,
      run: async () => void beats.push(timers.clock.now() - start),
    });
    host.add({
      name: 'sweeper',
      everyMs: 2_500,
      immediately: true,
      run: async () => void sweeps.push(timers.clock.now() - start),
    });
    await timers.advance(5_000);
    expect(beats).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(sweeps).toEqual([0, 2_500, 5_000]);
    expect(host.status().map((s) => [s.name, s.runs])).toEqual([
      ['heartbeat', 5],
      ['sweeper', 3],
    ]);
  });

  it('never starts a run while the one before is in flight', async () => {
    const { timers, host } = setup();
    const door = gate();
    let running = 0;
    let most = 0;
    let runs = 0;
    host.add({
      name: 'slow',
      everyMs: 100,
      run: async () => {
        runs++;
        running++;
        most = Math.max(most, running);
        await door.promise;
        running--;
      },
    });
    await timers.advance(1_000);
    expect(runs).toBe(1);
    expect(timers.size).toBe(0);
    door.open();
    await timers.advance(100);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('reports a failed run, with the service it came from, and runs it again next time', async () => {
    const { timers, host, errors } = setup();
    let calls = 0;
    host.add({
      name: 'retention',
      everyMs: 60_000,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
      },
    });
    await timers.advance(60_000);
    expect(errors).toEqual([{ service: 'retention', message: 'database is locked' }]);
    expect(host.status()[0]).toMatchObject({ failures: 1, lastError: 'database is locked' });
    await timers.advance(60_000);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect(host.status()[0]).toMatchObject({
      runs: 2,
      failures: 1,
      lastError: null,
      lastRunAt: timers.clock.now(),
    });
  });

  it("gives a failure to the service's own onError when it has one", async () => {
    const { timers, host, errors } = setup();
    const own: unknown[] = [];
    host.add({
      name: 'heartbeat',
      everyMs: 10,
      run: async () => {
        throw new Error('down');
      },
      onError: (error) => own.push(error),
    });
    await timers.advance(30);
    expect(own).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('stops one service alone, waiting for its run in flight, and leaves the rest running', async () => {
    const { timers, host } = setup();
    const door = gate();
    let ended = false;
    const handle = host.add({
      name: 'heartbeat',
      everyMs: 10,
      run: async () => {
        await door.promise;
        ended = true;
      },
    });
    const other = counting('sweeper', 10);
    host.add(other.service);
    await timers.advance(10);
    const stopping = handle.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await timers.advance(0);
    expect(stopped).toBe(false);
    door.open();
    await stopping;
    expect(ended).toBe(true);
    await timers.advance(100);
    expect(host.status().map((s) => s.name)).toEqual(['sweeper']);
    expect(other.runsAt).toHaveLength(11);
  });

  it('stop() ends every service, leaves no timer behind, and refuses new ones', async () => {
    const { timers, host } = setup();
    const a = counting('a', 10);
    const b = counting('b', 25);
    host.add(a.service);
    host.add(b.service);
    await timers.advance(50);
    await host.stop();
    expect(timers.size).toBe(0);
    await timers.advance(1_000);
    expect([a.runsAt.length, b.runsAt.length]).toEqual([5, 2]);
    expect(host.status()).toEqual([]);
    expect(() => host.add(counting('late', 10).service)).toThrow(TaskmillError);
  });

  it('runNow runs at once and puts the next run everyMs after it', async () => {
    const { timers, host } = setup();
    const at: number[] = [];
    const start = timers.clock.now();
    const handle = host.add({
      name: 'scheduler',
      everyMs: 1_000,
      run: async () => void at.push(timers.clock.now() - start),
    });
    await timers.advance(400);
    await handle.runNow();
    await timers.advance(1_000);
    expect(at).toEqual([400, 1_400]);
  });
});
