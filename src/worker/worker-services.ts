import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Service } from '../core/service.ts';
import type { Store } from '../store/contract.ts';
import { applyRetention, type RetentionRules } from './retention.ts';
import type { StepPreparer } from './step-plan.ts';
import { sweepExpiredLeases } from './sweeper.ts';
import type { ResolvedWorkerOptions } from './worker-options.ts';

/**
 * A worker's periodic services, for the process's service host to run while the worker runs:
 * the heartbeat (its leases and its row), the sweeper, and retention when it has rules. Each
 * in-process worker brings its own; a process with no worker sweeps nothing, since any live
 * worker anywhere recovers the tasks of a dead one.
 */
export function workerServices(p: {
  store: Store;
  bus: EventBus;
  clock: Clock;
  retention: RetentionRules;
  dataDir: string;
  options: ResolvedWorkerOptions;
  workerId: string;
  beat: () => Promise<void>;
  onError: (error: unknown) => void;
  steps?: StepPreparer | undefined;
}): Service[] {
  const { store, bus, retention, dataDir, options, workerId, onError } = p;
  const now = () => p.clock.now();
  const services: Service[] = [
    { name: 'heartbeat', everyMs: options.heartbeatMs, run: p.beat, onError },
    {
      name: 'sweeper',
      everyMs: options.sweepMs,
      immediately: true,
      run: async () => {
        await sweepExpiredLeases({
          store,
          bus,
          now,
          workerId,
          crashLimit: options.crashLimit,
          onRunEnded: (end) => p.steps?.runEnded?.(end),
        });
      },
      onError,
    },
  ];
  if (Object.keys(retention).length > 0) {
    services.push({
      name: 'retention',
      everyMs: options.retentionMs,
      immediately: true,
      run: async () => {
        await applyRetention({ store, bus, now, rules: retention, dataDir });
      },
      onError,
    });
  }
  return services;
}
