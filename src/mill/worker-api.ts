import type { WorkerInfo } from '../core/worker-info.ts';
import { RemoteWorkers, type RemoteWorkersOptions } from '../worker/remote/remote-workers.ts';
import type { WorkerOptions } from '../worker/types.ts';
import { Worker } from '../worker/worker.ts';
import type { MillContext } from './mill-context.ts';
import { onShutdownSignal } from './signals.ts';
import type { WorkerHandle } from './types.ts';

/** Workers: start one in this process, offer the remote protocol, list them all. */
export function workerApi(ctx: MillContext) {
  return {
    workers(): Promise<WorkerInfo[]> {
      ctx.assertOpen();
      return ctx.store.workerList({
        now: ctx.now(),
        offlineAfterMs: ctx.deps.workerTimeoutMs ?? 30_000,
      });
    },

    async startWorker(options: WorkerOptions = {}): Promise<WorkerHandle> {
      ctx.assertOpen();
      const worker = new Worker(ctx.deps, options);
      ctx.localWorkers.add(worker);
      await worker.start();
      if (ctx.scheduler.withWorkers) ctx.scheduler.start();
      if (worker.options.handleSignals && !ctx.removeSignals)
        ctx.removeSignals = onShutdownSignal(() => ctx.close());
      return {
        id: worker.id,
        pools: () => worker.pools(),
        stop: async (o) => {
          await worker.stop(o);
          ctx.localWorkers.delete(worker);
        },
      };
    },

    remoteWorkers(options: RemoteWorkersOptions = {}): RemoteWorkers {
      ctx.assertOpen();
      return new RemoteWorkers(ctx.deps, options);
    },

    listening(): boolean | null {
      return ctx.store.wakeupIsListening?.() ?? null;
    },
  };
}
