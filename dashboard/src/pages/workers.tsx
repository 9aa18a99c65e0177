/**
 * The workers and execution units: a summary of the fleet, a card for each one that is online
 * or draining (load, capacity, heartbeat, metadata, the tasks it holds), and the offline ones
 * folded away in a short table. Live: worker and task events, and every 5 s.
 */
import { useMemo } from 'react';
import type { RemoteTask, RemoteWorker } from '../../../src/client/types.ts';
import { ErrorNote } from '../components/error-note.tsx';
import { Page } from '../components/page.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { count } from '../format.ts';
import { useData } from '../use-data.ts';
import { kindOf, WorkerCard } from './worker-card.tsx';
import './workers.css';

const LIVE = { refreshOn: ['worker.', 'task.'], everyMs: 5_000 } as const;

function Summary({ workers }: { workers: readonly RemoteWorker[] | undefined }) {
  const live = workers?.filter((w) => w.state !== 'offline') ?? [];
  const figures: [string, string, string][] = [
    ['online', workers ? count(live.filter((w) => w.state === 'online').length) : '—', 'online'],
    [
      'draining',
      workers ? count(live.filter((w) => w.state === 'draining').length) : '—',
      'draining',
    ],
    ['offline', workers ? count(workers.length - live.length) : '—', 'offline'],
    [
      'load',
      workers
        ? `${count(live.reduce((n, w) => n + w.load, 0))} / ${count(live.reduce((n, w) => n + w.concurrency, 0))}`
        : '—',
      'running / capacity',
    ],
  ];
  return (
    <div className="card stats workers-summary">
      {figures.map(([id, value, label]) => (
        <div key={id} className="stat">
          <span className="stat-value" data-testid={`workers-${id}`}>
            {value}
          </span>
          <span className="stat-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

function Offline({ workers }: { workers: readonly RemoteWorker[] }) {
  if (workers.length === 0) return null;
  return (
    <details className="card workers-offline" data-testid="workers-offline">
      <summary>
        <h2>Offline ({count(workers.length)})</h2>
      </summary>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Host</th>
              <th>Last heartbeat</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr key={w.id} data-worker-id={w.id}>
                <td className="truncate" title={w.id}>
                  {w.name}
                </td>
                <td>{[w.unitType, kindOf(w)].filter(Boolean).join(' · ')}</td>
                <td className="truncate">{w.host}</td>
                <td>
                  <TimeAgo at={w.lastHeartbeatAt} />
                </td>
                <td>
                  <StatusBadge status={w.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function Workers() {
  const workers = useData((client) => client.workers(), [], LIVE);
  // The running tasks, once for every card: names, types and progress for the ids each
  // worker lists, without a request per worker.
  const running = useData((client) => client.list({ status: 'running', limit: 1000 }), [], LIVE);
  const tasks = useMemo(
    () => new Map<string, RemoteTask>((running.data?.tasks ?? []).map((t) => [t.id, t])),
    [running.data],
  );
  const all = workers.data;
  const sorted = all
    ?.slice()
    .sort(
      (a, b) =>
        (a.state === b.state ? 0 : a.state === 'online' ? -1 : 1) || a.name.localeCompare(b.name),
    );
  const live = sorted?.filter((w) => w.state !== 'offline');
  const offline = sorted?.filter((w) => w.state === 'offline') ?? [];
  return (
    <Page title="Workers">
      <Summary workers={all} />
      {workers.error !== undefined ? <ErrorNote error={workers.error} /> : null}
      {live === undefined ? (
        <p className="muted">Loading…</p>
      ) : live.length === 0 ? (
        <p className="muted" data-testid="workers-none">
          No worker is online. Start one with <code>taskmill worker</code>, or let{' '}
          <code>taskmill serve</code> run its own.
        </p>
      ) : (
        <div className="workers-grid" data-testid="workers-list">
          {live.map((worker) => (
            <WorkerCard key={worker.id} worker={worker} tasks={tasks} />
          ))}
        </div>
      )}
      <Offline workers={offline} />
    </Page>
  );
}
