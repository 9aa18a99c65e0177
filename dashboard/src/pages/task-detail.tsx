/**
 * One task: where it stands and how it got there, followed live (status, progress, logs), with
 * its input, output, error, attempts, metrics and artifacts, what it belongs to (a schedule or a
 * pipeline run), and the actions its status allows.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { ErrorNote } from '../components/error-note.tsx';
import { JsonView } from '../components/json-view.tsx';
import { Card, Page } from '../components/page.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { dateTime } from '../format.ts';
import { useEvents } from '../live.tsx';
import { useData } from '../use-data.ts';
import { TaskActions } from './task-actions.tsx';
import { TaskArtifacts } from './task-artifacts.tsx';
import { TaskAttempts, TaskMetrics } from './task-attempts.tsx';
import { TaskLogs } from './task-logs.tsx';
import { ENDED, type RemoteTask, shortId } from './task-shapes.ts';
import { TaskTimeline } from './task-timeline.tsx';
import './task-detail.css';

/** While a task may still change, read it this often too: a worker in another process on
 * SQLite sends no events to this server. */
const POLL_MS = 5_000;

interface LiveProgress {
  percent: number;
  message: string | null;
}

export function TaskDetail() {
  const { id = '' } = useParams<{ id: string }>();
  // Bumped by each status change of this task: its history, attempts and artifacts read again.
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState<LiveProgress | null>(null);
  const [changed, setChanged] = useState<RemoteTask | null>(null);

  const task = useData((c) => c.get(id), [id, version]);
  const ended = task.data ? ENDED.includes(task.data.status) : false;
  const pollMs = task.data && !ended ? POLL_MS : undefined;
  const history = useData((c) => c.history(id), [id, version]);
  const attempts = useData((c) => c.attempts(id), [id, version]);
  const artifacts = useData((c) => c.artifacts(id), [id, version]);
  useEffect(() => {
    if (pollMs === undefined) return;
    const timer = setInterval(() => setVersion((v) => v + 1), pollMs);
    return () => clearInterval(timer);
  }, [pollMs]);

  useEvents(['task.', 'gap'], (event) => {
    if (event.kind === 'gap') return setVersion((v) => v + 1);
    if (event.kind === 'task.progress' && event.data.taskId === id) {
      setLive({ percent: event.data.percent, message: event.data.message });
    } else if (event.kind === 'task.status' && event.data.taskId === id) {
      setVersion((v) => v + 1);
      // The read that follows has the stored progress; a new attempt starts it afresh.
      setLive(null);
    }
  });

  // What an action answered shows until the next read, so a press is seen at once.
  const shown =
    changed && task.data && changed.updatedAt > task.data.updatedAt ? changed : task.data;
  if (shown === undefined) {
    return (
      <Page title={`Task ${shortId(id)}`}>
        {task.error ? (
          <>
            <ErrorNote error={task.error} />
            <Link href="/tasks">Back to the tasks</Link>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </Page>
    );
  }
  const progress = live ?? {
    percent: shown.progress,
    message: shown.progressMessage,
  };
  return (
    <Page
      title={shown.name ?? `Task ${shortId(shown.id)}`}
      actions={
        <TaskActions
          task={shown}
          onChanged={(next) => {
            setChanged(next);
            setVersion((v) => v + 1);
          }}
        />
      }
    >
      <div className="task-detail" data-testid="task-detail" data-task-id={shown.id}>
        <section className="card task-summary" aria-label="Summary">
          <div className="task-summary-status">
            <StatusBadge status={shown.status} />
            <div className="task-progress" data-testid="task-progress">
              <ProgressBar
                value={progress.percent === null ? null : progress.percent / 100}
                message={progress.message}
              />
            </div>
          </div>
          <TaskFacts task={shown} />
          <ErrorNote error={task.error} />
        </section>
        <div className="task-detail-grid">
          <Card title="Timeline">
            <TaskTimeline entries={history.data} />
            <ErrorNote error={history.error} />
          </Card>
          <Card title="Logs">
            <TaskLogs key={shown.id} taskId={shown.id} running={!ended} />
          </Card>
          <Card title="Input">
            <JsonView value={shown.input} label="input" />
          </Card>
          <Card title={shown.error ? 'Error' : 'Output'}>
            {shown.error ? (
              <TaskError task={shown} />
            ) : (
              <JsonView value={shown.output} label="output" />
            )}
          </Card>
          <Card title="Attempts" wide>
            <TaskAttempts attempts={attempts.data} />
            <ErrorNote error={attempts.error} />
          </Card>
          <Card title="Metrics">
            <TaskMetrics attempts={attempts.data} />
          </Card>
          <Card title="Artifacts">
            <TaskArtifacts artifacts={artifacts.data} />
            <ErrorNote error={artifacts.error} />
          </Card>
        </div>
      </div>
    </Page>
  );
}

function TaskFacts({ task }: { task: RemoteTask }) {
  return (
    <dl className="task-facts">
      <Fact term="Id">
        <span className="mono task-id">{task.id}</span>
      </Fact>
      <Fact term="Type">{task.type}</Fact>
      <Fact term="Name">{task.name ?? <span className="muted">—</span>}</Fact>
      <Fact term="Queue">{task.queue}</Fact>
      <Fact term="Priority">{task.priority}</Fact>
      <Fact term="Attempt">
        {task.attempt} of {task.maxAttempts}
      </Fact>
      <Fact term="Created">
        <TimeAgo at={task.createdAt} />
      </Fact>
      <Fact term="Run at">
        <span title={dateTime(task.runAt)}>{dateTime(task.runAt)}</span>
      </Fact>
      <Fact term="Started">
        <TimeAgo at={task.startedAt} />
      </Fact>
      <Fact term="Finished">
        <TimeAgo at={task.finishedAt} />
      </Fact>
      <Fact term="Worker">
        {task.workerId ? (
          <span className="mono" title={task.workerId}>
            {shortId(task.workerId)}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </Fact>
      {task.idempotencyKey ? <Fact term="Idempotency key">{task.idempotencyKey}</Fact> : null}
      <BelongsTo task={task} />
    </dl>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The schedule tick or the pipeline run (step, item) that made this task. */
function BelongsTo({ task }: { task: RemoteTask }) {
  if (task.schedule) {
    const { schedule, scheduledAt, manual, backfill } = task.schedule;
    return (
      <Fact term="Schedule">
        <span data-testid="task-schedule">
          <Link href="/schedules">{schedule}</Link>{' '}
          <span className="muted">
            tick {dateTime(scheduledAt)}
            {manual ? ' · run now' : ''}
            {backfill ? ' · caught up' : ''}
          </span>
        </span>
      </Fact>
    );
  }
  if (task.pipeline) {
    const { runId, step, item } = task.pipeline;
    return (
      <Fact term="Pipeline run">
        <span data-testid="task-pipeline">
          <Link href={`/pipelines/runs/${encodeURIComponent(runId)}`}>{shortId(runId)}</Link>{' '}
          <span className="muted">
            step {step}
            {item === null ? '' : ` · item ${item}`}
          </span>
        </span>
      </Fact>
    );
  }
  return null;
}

function TaskError({ task }: { task: RemoteTask }) {
  const error = task.error;
  if (!error) return null;
  return (
    <div className="task-error" data-testid="task-error">
      <p>
        <code>{error.code}</code> <span>{error.message}</span>
      </p>
      {error.stack ? (
        <details>
          <summary>Stack</summary>
          <pre className="json">{error.stack}</pre>
        </details>
      ) : null}
      {task.output !== null ? <JsonView value={task.output} label="output" /> : null}
    </div>
  );
}
