/**
 * The Store conformance suite: every adapter's test file calls `runStoreConformance` with a
 * harness that opens a fresh, empty store, and must pass it unchanged. Tests speak only the
 * contract (no SQL, files or pragmas), drive time through `now`, and branch on
 * `store.capabilities`, never on an adapter's name.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../contract.ts';
import { admissionTests } from './admission.ts';
import { cancelRetryTests } from './cancel-retry.ts';
import { claimTests } from './claim.ts';
import { claimConcurrencyTests, recoveryConcurrencyTests } from './claim-concurrency.ts';
import type { ConformanceContext, StoreHarness } from './context.ts';
import { followUpTests } from './follow-ups.ts';
import { insertTests } from './insert.ts';
import { leaseTests } from './lease.ts';
import { listTests } from './list.ts';
import { listNameWorkerTests } from './list-name-worker.ts';
import { logsArtifactsTests } from './logs-artifacts.ts';
import { nextRunAtTests } from './next-run-at.ts';
import { pipelineFailureTests } from './pipeline-failures.ts';
import { pipelineTests } from './pipelines.ts';
import { priorityDeleteTests } from './priority-delete.ts';
import { purgeStatsTests } from './purge-stats.ts';
import { queueOldestTests } from './queue-oldest.ts';
import { queuesWorkersTests } from './queues-workers.ts';
import { scheduleFireTests } from './schedule-fire.ts';
import { schedulePruneTests } from './schedule-prune.ts';
import { scheduleTests } from './schedules.ts';
import { settleTests } from './settle.ts';
import { settleClaimTests } from './settle-claim.ts';
import { settleUnstartedTests } from './settle-unstarted.ts';
import { statsTests } from './stats.ts';
import { taskEditTests } from './task-edits.ts';
import { taskTimeoutTests } from './task-timeout.ts';
import { unitTests } from './units.ts';
import { wakeupTests } from './wakeups.ts';

export type { ConformanceContext, StoreHarness } from './context.ts';

export function runStoreConformance(harness: StoreHarness): void {
  describe(`Store conformance: ${harness.name}`, () => {
    let current: Store | null = null;
    const ctx: ConformanceContext = {
      get store(): Store {
        if (current === null) throw new Error('the store is read outside a test');
        return current;
      },
    };

    beforeEach(async () => {
      current = await harness.open();
    });

    afterEach(async () => {
      const store = current;
      current = null;
      await store?.close();
    });

    insertTests(ctx);
    taskTimeoutTests(ctx);
    claimTests(ctx);
    admissionTests(ctx);
    claimConcurrencyTests(ctx);
    recoveryConcurrencyTests(ctx);
    settleTests(ctx);
    settleClaimTests(ctx);
    settleUnstartedTests(ctx);
    followUpTests(ctx);
    nextRunAtTests(ctx);
    leaseTests(ctx);
    logsArtifactsTests(ctx);
    cancelRetryTests(ctx);
    priorityDeleteTests(ctx);
    taskEditTests(ctx, harness);
    listTests(ctx);
    listNameWorkerTests(ctx);
    queuesWorkersTests(ctx);
    queueOldestTests(ctx);
    unitTests(ctx);
    purgeStatsTests(ctx);
    statsTests(ctx);
    scheduleTests(ctx);
    scheduleFireTests(ctx, harness);
    schedulePruneTests(ctx);
    wakeupTests(ctx, harness);
    pipelineTests(ctx);
    pipelineFailureTests(ctx);
  });
}
