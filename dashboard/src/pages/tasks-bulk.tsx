/**
 * Retry or cancel every task of the filtered set — all pages, not just the one shown. The counts
 * on the buttons are the server's, for the statuses each change reaches within the filter, and
 * the line under them says what the last change did (changed and skipped, as the server said).
 */
import { useState } from 'react';
import { useApi } from '../api.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { count } from '../format.ts';
import { useData } from '../use-data.ts';
import type { TaskStatus } from './task-shapes.ts';
import {
  BULK_MAX,
  cancelFilter,
  cancelStatuses,
  countOptions,
  queryString,
  retryFilter,
  retryStatuses,
  type TaskQuery,
} from './tasks-query.ts';

interface Outcome {
  verb: 'Retried' | 'Cancelled';
  changed: number;
  skipped: number;
}

const words = (statuses: readonly TaskStatus[]) =>
  statuses.map((s) => s.replace('_', ' ')).join(', ');

/** "Retry 1,234", or "Retry 10,000 of 12,345" past what one call changes. */
function label(verb: string, n: number): string {
  return n > BULK_MAX ? `${verb} ${count(BULK_MAX)} of ${count(n)}` : `${verb} ${count(n)}`;
}

export function TasksBulk({ query, onDone }: { query: TaskQuery; onDone(): void }) {
  const { client } = useApi();
  const retryable = retryStatuses(query);
  const cancellable = cancelStatuses(query);
  // Filter only: the page and sort do not change what a bulk change reaches.
  const key = queryString({ ...query, page: 1, sort: 'createdAt', order: 'desc' });
  const counts = useData(
    async (c) => {
      const total = async (statuses: readonly TaskStatus[]) =>
        statuses.length === 0 ? 0 : ((await c.list(countOptions(query, statuses))).total ?? 0);
      const [retry, cancel] = await Promise.all([total(retryable), total(cancellable)]);
      return { retry, cancel };
    },
    [key],
    { refreshOn: ['task.status'] },
  );
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const run = async (change: () => Promise<Outcome>) => {
    setError(undefined);
    setOutcome(null);
    try {
      setOutcome(await change());
    } catch (reason) {
      setError(reason);
    } finally {
      counts.reload();
      onDone();
    }
  };
  const retryN = counts.data?.retry ?? 0;
  const cancelN = counts.data?.cancel ?? 0;
  return (
    <div className="tasks-bulk" data-testid="bulk-actions">
      <div className="tasks-bulk-buttons">
        <span
          title={retryable.length ? `Retries the ${words(retryable)} tasks of this filter` : ''}
        >
          <ConfirmButton
            label={counts.data ? label('Retry', retryN) : 'Retry …'}
            confirmLabel={`Retry ${count(Math.min(retryN, BULK_MAX))} tasks?`}
            disabled={retryN === 0}
            onConfirm={() =>
              run(async () => {
                const r = await client.retryMany(retryFilter(query));
                return { verb: 'Retried', changed: r.retried.length, skipped: r.skipped.length };
              })
            }
          />
        </span>
        <span
          title={cancellable.length ? `Cancels the ${words(cancellable)} tasks of this filter` : ''}
        >
          <ConfirmButton
            danger
            label={counts.data ? label('Cancel', cancelN) : 'Cancel …'}
            confirmLabel={`Cancel ${count(Math.min(cancelN, BULK_MAX))} tasks?`}
            disabled={cancelN === 0}
            onConfirm={() =>
              run(async () => {
                const r = await client.cancelMany(cancelFilter(query));
                return {
                  verb: 'Cancelled',
                  changed: r.cancelled.length,
                  skipped: r.skipped.length,
                };
              })
            }
          />
        </span>
      </div>
      <p className="muted tasks-bulk-note" data-testid="bulk-result" aria-live="polite">
        {outcome
          ? `${outcome.verb} ${count(outcome.changed)} · skipped ${count(outcome.skipped)} (changed meanwhile)`
          : `Acts on the whole filtered set: retry reaches ${words(retryable) || 'nothing'}; cancel reaches ${words(cancellable) || 'nothing'}.`}
      </p>
      <ErrorNote error={error ?? counts.error} />
    </div>
  );
}
