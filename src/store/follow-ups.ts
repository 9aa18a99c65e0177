/**
 * The steps both adapters take to carry out the settle follow-ups of `src/core/follow-ups.ts`,
 * inside the transaction of the status changes that caused them. Each adapter runs its own
 * statements (dependents-release, dependents-pending, dependents-end) between these steps; the
 * decisions are made here once.
 */
import { dependentEnding, followUpOf, RELEASE_REASON } from '../core/follow-ups.ts';
import type { TaskStatus } from '../core/status.ts';
import type { TaskErrorInfo } from '../core/task.ts';

export { RELEASE_REASON };

/** A task whose status just changed, as a settlement or a cancel reports it. */
export interface ChangedTask {
  id: string;
  to: TaskStatus;
  /** Some task was ever made to wait on it; without, it has no follow-up to run. */
  hasDependents: boolean;
}

/** The ended tasks whose pending dependents must end too, with the task each ending names. */
export type Roots = Map<string, { rootId: string; rootStatus: TaskStatus }>;

export interface FollowUpPlan {
  /** Completed tasks: release their dependents. */
  release: string[];
  /** Tasks that ended without completing: end their dependents. */
  end: Roots;
}

export function planFollowUps(changed: readonly ChangedTask[]): FollowUpPlan {
  const release: string[] = [];
  const end: Roots = new Map();
  for (const c of changed) {
    if (!c.hasDependents) continue;
    const kind = followUpOf(c.to);
    if (kind === 'release-dependents') release.push(c.id);
    else if (kind === 'end-dependents') end.set(c.id, { rootId: c.id, rootStatus: c.to });
  }
  return { release, end };
}

export interface Ending {
  id: string;
  to: 'failed' | 'cancelled';
  reason: string;
  error: TaskErrorInfo;
}

/**
 * How each pending dependent found under `roots` ends, and the roots of the next level (the
 * dependents themselves, which may have pending dependents of their own). Each ending names the
 * task whose ending started the chain.
 */
export function endingsFor(
  found: readonly { id: string; depends_on: string }[],
  roots: Roots,
): { endings: Ending[]; next: Roots } {
  const endings: Ending[] = [];
  const next: Roots = new Map();
  for (const f of found) {
    const root = roots.get(f.depends_on);
    if (root === undefined) continue;
    endings.push({ id: f.id, ...dependentEnding(root.rootId, root.rootStatus) });
    next.set(f.id, root);
  }
  return { endings, next };
}
