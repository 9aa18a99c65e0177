import type { EventBus } from '../core/event-bus.ts';
import { is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { Store } from '../store/contract.ts';
import { removeArtifactFiles } from './artifact-file.ts';
import type { RetentionRule } from './types.ts';

export type RetentionRules = Partial<
  Record<'completed' | 'failed' | 'timed_out' | 'cancelled' | 'skipped', RetentionRule>
>;

const RULE_SPEC: OptionSpec = optionSpec<RetentionRule>({
  maxAgeMs: is.number(0, ' of milliseconds'),
  maxCount: is.whole(0),
});

/** The `retention` of `createTaskmill`: a rule per finished status. */
export const RETENTION_SPEC: OptionSpec = optionSpec<RetentionRules>({
  completed: RULE_SPEC,
  failed: RULE_SPEC,
  timed_out: RULE_SPEC,
  cancelled: RULE_SPEC,
  skipped: RULE_SPEC,
});

/**
 * Delete finished tasks by age and by count per status, in small batches so a large purge never
 * holds the database's write lock for long. Artifact files go after their rows.
 */
export async function applyRetention(p: {
  store: Store;
  bus: EventBus;
  now: () => number;
  rules: RetentionRules;
  dataDir: string;
  batch?: number;
  maxBatches?: number;
}): Promise<number> {
  const batch = p.batch ?? 200;
  let total = 0;
  for (const [status, rule] of Object.entries(p.rules) as [keyof RetentionRules, RetentionRule][]) {
    if (!rule) continue;
    const purges: { finishedBefore?: number; keepNewest?: number }[] = [];
    if (rule.maxAgeMs !== undefined) purges.push({ finishedBefore: p.now() - rule.maxAgeMs });
    if (rule.maxCount !== undefined) purges.push({ keepNewest: rule.maxCount });
    for (const purge of purges) {
      for (let i = 0; i < (p.maxBatches ?? 50); i++) {
        const { taskIds, artifactPaths } = await p.store.taskPurge({
          status,
          ...purge,
          limit: batch,
        });
        await removeArtifactFiles(p.dataDir, taskIds, artifactPaths);
        total += taskIds.length;
        if (taskIds.length < batch) break;
        // Let claims and completions through between batches.
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }
  if (total > 0) p.bus.emit('retention.purged', { count: total });
  return total;
}
