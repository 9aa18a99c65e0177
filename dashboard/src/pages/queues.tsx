/**
 * The queues: how much waits in each and for how long, what runs and what failed, whether it
 * is paused and how many of its tasks may run at once. An admin token pauses and resumes a
 * queue and sets its limit here (the API refuses both to anything less: auth.ts). Live: it
 * reads again on task events and every 5 s, and the oldest waiting age ticks in between.
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { Page } from '../components/page.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { count, duration } from '../format.ts';
import { useData } from '../use-data.ts';
import { QueueConcurrency } from './queue-concurrency.tsx';
import './queues.css';

import type { RemoteQueue } from '../../../src/client/types.ts';

/** The clock, once a second: the oldest waiting age moves on between reads. */
function useSecondTick(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function tasksOf(queue: string, status?: string): string {
  const query = new URLSearchParams({ queue, ...(status ? { status } : {}) });
  return `/tasks?${query.toString()}`;
}

function PauseButton({ queue, onChanged }: { queue: RemoteQueue; onChanged(): void }) {
  const { client } = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const toggle = async () => {
    setBusy(true);
    try {
      if (queue.paused) await client.resumeQueue(queue.name);
      else await client.pauseQueue(queue.name);
      setError(undefined);
      onChanged();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={`button queue-toggle${queue.paused ? ' primary' : ''}`}
        disabled={busy}
        onClick={() => void toggle()}
        data-testid={`${queue.paused ? 'resume' : 'pause'}-${queue.name}`}
      >
        {queue.paused ? 'Resume' : 'Pause'}
      </button>
      <ErrorNote error={error} />
    </>
  );
}

function QueueRow({
  queue,
  age,
  admin,
  onChanged,
}: {
  queue: RemoteQueue;
  age: number | null;
  admin: boolean;
  onChanged(): void;
}) {
  const failed = (queue.counts.failed ?? 0) + (queue.counts.timed_out ?? 0);
  return (
    <tr data-testid="queue-row" data-queue={queue.name}>
      <td data-label="Queue">
        <Link href={tasksOf(queue.name)} className="queue-name">
          {queue.name}
        </Link>
      </td>
      <td data-label="Waiting" className="num">
        <Link href={tasksOf(queue.name, 'queued')} data-testid="queue-waiting">
          {count(queue.counts.queued ?? 0)}
        </Link>
      </td>
      <td data-label="Running" className="num">
        <Link href={tasksOf(queue.name, 'running')}>{count(queue.counts.running ?? 0)}</Link>
      </td>
      <td data-label="Failed" className="num" title="failed or timed out">
        <Link href={tasksOf(queue.name, 'failed')}>{count(failed)}</Link>
      </td>
      <td data-label="Oldest waiting" className="num" data-testid="queue-oldest">
        {age === null ? <span className="muted">none waiting</span> : duration(age)}
      </td>
      <td data-label="State" data-testid="queue-state">
        <StatusBadge status={queue.paused ? 'paused' : 'active'} />
      </td>
      <td data-label="Concurrency" data-testid="queue-concurrency">
        {admin ? (
          <QueueConcurrency queue={queue.name} limit={queue.concurrency} onChanged={onChanged} />
        ) : queue.concurrency === null ? (
          <span className="muted">no limit</span>
        ) : (
          count(queue.concurrency)
        )}
      </td>
      {admin ? (
        <td data-label="" className="queue-actions">
          <PauseButton queue={queue} onChanged={onChanged} />
        </td>
      ) : null}
    </tr>
  );
}

export function Queues() {
  const { can } = useApi();
  const admin = can('admin');
  const now = useSecondTick();
  const { data, error, reload } = useData(
    async (client) => ({ queues: await client.queues(), at: Date.now() }),
    [],
    { refreshOn: ['task.'], everyMs: 5_000 },
  );
  const queues = data?.queues.slice().sort((a, b) => a.name.localeCompare(b.name));
  const paused = queues?.filter((q) => q.paused).length ?? 0;
  return (
    <Page title="Queues">
      <p className="muted queue-summary" data-testid="queue-summary">
        {queues
          ? `${count(queues.length)} ${queues.length === 1 ? 'queue' : 'queues'} · ${count(paused)} paused`
          : 'Loading…'}
      </p>
      {error !== undefined ? <ErrorNote error={error} /> : null}
      <div className="card table-wrap">
        <table className="queue-table" data-testid="queues-table">
          <thead>
            <tr>
              <th>Queue</th>
              <th className="num">Waiting</th>
              <th className="num">Running</th>
              <th className="num">Failed</th>
              <th className="num">Oldest waiting</th>
              <th>State</th>
              <th>Concurrency</th>
              {admin ? (
                <th>
                  <span className="muted">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {queues?.length === 0 ? (
              <tr>
                <td colSpan={admin ? 8 : 7} className="muted">
                  No queues yet: a queue appears with its first task.
                </td>
              </tr>
            ) : null}
            {queues?.map((queue) => (
              <QueueRow
                key={queue.name}
                queue={queue}
                // By the server's clock when it answered, moved on by the time since.
                age={
                  queue.oldestWaitingMs === null || data === undefined
                    ? null
                    : queue.oldestWaitingMs + Math.max(0, now - data.at)
                }
                admin={admin}
                onChanged={reload}
              />
            ))}
          </tbody>
        </table>
      </div>
      {admin ? (
        <p className="muted queue-help">
          Pausing a queue stops workers from claiming its tasks; running ones finish. The
          concurrency limit counts running tasks of the queue across every worker; empty: no limit.
        </p>
      ) : null}
    </Page>
  );
}
