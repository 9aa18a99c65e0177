import { ValidationError } from '../core/errors.ts';
import { checkOptions, is, optionSpec, valueRule } from '../core/options-check.ts';
import { applyRetention, type RetentionRules } from '../worker/retention.ts';
import type { MillContext } from './mill-context.ts';

export const PURGEABLE = ['completed', 'failed', 'timed_out', 'cancelled', 'skipped'] as const;
export type PurgeableStatus = (typeof PURGEABLE)[number];

export interface PurgeOptions {
  /** Delete tasks that finished at least this long ago (ms). */
  olderThanMs: number;
  /** Which finished statuses; default all of them. */
  status?: PurgeableStatus | PurgeableStatus[];
}

const PURGE_SPEC = optionSpec<PurgeOptions>({
  olderThanMs: is.whole(0, Number.MAX_SAFE_INTEGER, ' of milliseconds'),
  status: is.either(
    is.oneOf(...PURGEABLE),
    valueRule(
      `a list of ${PURGEABLE.join(', ')}`,
      (v) => Array.isArray(v) && v.every((s) => (PURGEABLE as readonly unknown[]).includes(s)),
    ),
  ),
});

/** Deleting finished tasks by age at once, as retention does over time (seed 001's cleanup). */
export function purgeApi(ctx: MillContext) {
  return {
    async purge(options: PurgeOptions): Promise<{ deleted: number }> {
      ctx.assertOpen();
      if (typeof options !== 'object' || options === null || options.olderThanMs === undefined) {
        throw new ValidationError('OPTIONS_INVALID', 'purge needs { olderThanMs, status? }.', [
          { path: 'options.olderThanMs', message: 'required' },
        ]);
      }
      checkOptions(PURGE_SPEC, options, 'options');
      const { olderThanMs } = options;
      const statuses = options.status === undefined ? [...PURGEABLE] : [options.status].flat();
      const rules: RetentionRules = {};
      for (const status of statuses) rules[status] = { maxAgeMs: olderThanMs };
      const { store, bus, dataDir } = ctx.deps;
      // Every batch, not retention's bounded share per run: the caller asked for all of them.
      const deleted = await applyRetention({
        store,
        bus,
        now: () => ctx.now(),
        rules,
        dataDir,
        maxBatches: Number.POSITIVE_INFINITY,
      });
      return { deleted };
    },
  };
}
