import { ValidationError } from '../core/errors.ts';
import { applyRetention, type RetentionRules } from '../worker/retention.ts';
import type { MillContext } from './mill-context.ts';

export const PURGEABLE = ['completed', 'failed', 'timed_out', 'cancelled'] as const;
export type PurgeableStatus = (typeof PURGEABLE)[number];

export interface PurgeOptions {
  /** Delete tasks that finished at least this long ago (ms). */
  olderThanMs: number;
  /** Which finished statuses; default all four. */
  status?: PurgeableStatus | PurgeableStatus[];
}

function invalid(path: string, message: string): never {
  throw new ValidationError('OPTIONS_INVALID', `Option "${path}" ${message}.`, [{ path, message }]);
}

/** Deleting finished tasks by age at once, as retention does over time (seed 001's cleanup). */
export function purgeApi(ctx: MillContext) {
  return {
    async purge(options: PurgeOptions): Promise<{ deleted: number }> {
      ctx.assertOpen();
      if (typeof options !== 'object' || options === null) {
        invalid('olderThanMs', 'is required: purge({ olderThanMs, status? })');
      }
      for (const key of Object.keys(options)) {
        if (key !== 'olderThanMs' && key !== 'status') {
          invalid(key, 'is not an option of purge; use olderThanMs and status');
        }
      }
      const { olderThanMs } = options;
      if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 0) {
        invalid('olderThanMs', 'must be a whole number of milliseconds ≥ 0');
      }
      const statuses = options.status === undefined ? [...PURGEABLE] : [options.status].flat();
      for (const status of statuses) {
        if (!(PURGEABLE as readonly string[]).includes(status)) {
          invalid('status', `must be among ${PURGEABLE.join(', ')}; got ${JSON.stringify(status)}`);
        }
      }
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
