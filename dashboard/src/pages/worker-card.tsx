/**
 * One worker (execution unit) as a card: what it is, how loaded, where it runs, when it was
 * last heard from, what it said about itself (inert JSON, folded), and the tasks it holds. The
 * held tasks take a fixed number of lines, so a card keeps its height as tasks come and go.
 */
import { Link } from 'wouter';
import type { RemoteTask, RemoteWorker } from '../../../src/client/types.ts';
import { JsonView } from '../components/json-view.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { bytes, count } from '../format.ts';

/** Lines of held tasks a card shows; more are behind a link to the task list. */
const HELD_LINES = 4;

/** A worker that pulls tasks (in-process, another process, or over HTTP), or one the server
 * pushes them to at its endpoint. */
export function kindOf(worker: RemoteWorker): 'push' | 'pull' {
  return worker.endpoint === null ? 'pull' : 'push';
}

function shortId(id: string): string {
  return `…${id.slice(-8)}`;
}

/** The bar is for the eye; the numbers beside it say the same to a screen reader. */
function LoadBar({ load, capacity }: { load: number; capacity: number }) {
  const ratio = capacity > 0 ? Math.min(1, load / capacity) : 0;
  return (
    <div className="worker-load">
      <div className="worker-load-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span className="worker-load-text" data-testid="worker-load">
        {count(load)} / {count(capacity)} running
      </span>
    </div>
  );
}

function HeldTasks({
  worker,
  tasks,
}: {
  worker: RemoteWorker;
  tasks: ReadonlyMap<string, RemoteTask>;
}) {
  const held = worker.tasks;
  const shown = held.length > HELD_LINES ? held.slice(0, HELD_LINES - 1) : held;
  return (
    <ul className="worker-held" data-testid="worker-tasks">
      {held.length === 0 ? <li className="muted">No task held.</li> : null}
      {shown.map((id) => {
        const task = tasks.get(id);
        return (
          <li key={id} data-task-id={id}>
            <Link href={`/tasks/${encodeURIComponent(id)}`} className="truncate">
              {task ? (task.name ?? task.type) : 'task'}{' '}
              <span className="mono muted">{shortId(id)}</span>
            </Link>
            {typeof task?.progress === 'number' ? (
              // Stored in percent, as the handler reported it.
              <span className="muted worker-held-progress">{Math.round(task.progress)} %</span>
            ) : null}
          </li>
        );
      })}
      {held.length > shown.length ? (
        <li>
          <Link href={`/tasks?${new URLSearchParams({ workerId: worker.id }).toString()}`}>
            {count(held.length - shown.length)} more…
          </Link>
        </li>
      ) : null}
    </ul>
  );
}

export function WorkerCard({
  worker,
  tasks,
}: {
  worker: RemoteWorker;
  tasks: ReadonlyMap<string, RemoteTask>;
}) {
  const kind = kindOf(worker);
  // A unit speaking the HTTP protocol may report no process: PID 0 and RSS 0 say nothing.
  const where = worker.pid > 0 ? `${worker.host} · pid ${worker.pid}` : worker.host;
  return (
    <article className="card worker-card" data-testid="worker-card" data-worker-id={worker.id}>
      <header className="worker-head">
        <h2 className="truncate" title={worker.name}>
          {worker.name}
        </h2>
        <StatusBadge status={worker.state} />
      </header>
      <p className="worker-kind muted">
        {worker.unitType ? <span className="worker-unit">{worker.unitType}</span> : null}
        <span data-testid="worker-kind">{kind}</span>
        <span className="mono truncate" title={worker.id}>
          {worker.id}
        </span>
      </p>
      <LoadBar load={worker.load} capacity={worker.concurrency} />
      <dl className="worker-facts">
        <dt>Last heartbeat</dt>
        <dd data-testid="worker-heartbeat">
          <TimeAgo at={worker.lastHeartbeatAt} />
        </dd>
        <dt>Host</dt>
        <dd className="truncate" title={where}>
          {where}
        </dd>
        {worker.rssBytes > 0 ? (
          <>
            <dt>Memory</dt>
            <dd>{bytes(worker.rssBytes)}</dd>
          </>
        ) : null}
        {worker.endpoint ? (
          <>
            <dt>Endpoint</dt>
            <dd className="truncate mono" title={worker.endpoint}>
              {worker.endpoint}
            </dd>
          </>
        ) : null}
        <dt>Task types</dt>
        <dd className="truncate" title={worker.types.join(', ')}>
          {worker.types.length === 0 ? <span className="muted">any</span> : worker.types.join(', ')}
        </dd>
        <dt>Queues</dt>
        <dd className="truncate">
          {worker.queues === null ? <span className="muted">all</span> : worker.queues.join(', ')}
        </dd>
        <dt>Started</dt>
        <dd>
          <TimeAgo at={worker.startedAt} /> <span className="muted">· v{worker.version}</span>
        </dd>
      </dl>
      <h3 className="worker-sub">Tasks held</h3>
      <HeldTasks worker={worker} tasks={tasks} />
      <details className="worker-meta">
        <summary>Metadata</summary>
        <JsonView value={worker.metadata} label={`metadata of ${worker.name}`} />
      </details>
    </article>
  );
}
