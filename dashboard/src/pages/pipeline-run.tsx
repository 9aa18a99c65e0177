/**
 * One pipeline run (`/pipelines/runs/:id`): its status, times and progress, its graph with each
 * step's live status (a map step's items as a bar), its steps in a table, its input and its
 * output or error; cancel and resume for a token with the admin scope. It follows the run live
 * (pipeline-run-live.ts); only colours and text change as it moves.
 */
import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { useApi } from '../api.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { JsonView } from '../components/json-view.tsx';
import { Card, Page } from '../components/page.tsx';
import { type GraphStep, PipelineGraph } from '../components/pipeline-graph.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { count, duration } from '../format.ts';
import { type RunView, usePipelineRunLive } from './pipeline-run-live.ts';
import { PipelineSteps } from './pipeline-steps.tsx';
import './pipelines.css';

function graphSteps({ run, graph }: RunView): GraphStep[] {
  const taskOf = new Map(run.steps.map((s) => [s.name, s.taskId]));
  return graph.nodes.map((node) => {
    const taskId = taskOf.get(node.id);
    return {
      id: node.id,
      task: node.task,
      map: node.map,
      status: node.status,
      progress: node.progress,
      href: taskId ? `/tasks/${encodeURIComponent(taskId)}` : null,
    };
  });
}

function RunActions({ view, reload }: { view: RunView; reload(): void }) {
  const { client, can } = useApi();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const { run } = view;
  // Always there, one button high: the header keeps its height as the buttons come and go.
  if (!can('admin')) return <div className="run-actions" />;
  const act = async (what: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await what();
    } catch (e) {
      setError(e);
    } finally {
      reload();
    }
  };
  return (
    <div className="run-actions">
      {run.status === 'running' ? (
        <ConfirmButton
          label="Cancel run"
          confirmLabel="Cancel every unfinished step?"
          danger
          disabled={run.cancelRequested}
          onConfirm={() => act(() => client.pipelines.cancel(run.id))}
        />
      ) : null}
      {run.status === 'failed' || run.status === 'cancelled' ? (
        <button
          type="button"
          className="button primary"
          data-testid="resume-run"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void act(() => client.pipelines.resume(run.id)).finally(() => setBusy(false));
          }}
        >
          Resume
        </button>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
    </div>
  );
}

function Summary({ view }: { view: RunView }) {
  const { run } = view;
  return (
    <div className="stats run-stats" data-testid="run-summary">
      <div className="stat">
        <span className="stat-label">Status</span>
        <span className="stat-value" data-testid="run-status">
          <StatusBadge status={run.status} />
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Steps ended</span>
        <span className="stat-value small" data-testid="run-steps-ended">
          {run.progress.done}/{run.progress.total}
        </span>
        <progress
          className="run-progress"
          max={Math.max(1, run.progress.total)}
          value={run.progress.done}
          aria-label="steps ended"
        />
      </div>
      <div className="stat">
        <span className="stat-label">Map items ended</span>
        <span className="stat-value small">
          {run.items.total > 0 ? `${count(run.items.done)}/${count(run.items.total)}` : '—'}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Started</span>
        <span className="stat-value small">
          <TimeAgo at={run.createdAt} />
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Ended</span>
        <span className="stat-value small">
          <TimeAgo at={run.endedAt} />
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Duration</span>
        <span className="stat-value small">{duration(run.durationMs)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Mode · on failure</span>
        <span className="stat-value small">
          {run.mode} · {run.onFailure === 'failFast' ? 'fail fast' : 'continue'}
        </span>
      </div>
    </div>
  );
}

export function PipelineRunPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { data, error, reload } = usePipelineRunLive(id);
  // An answer for another run (the address changed) is not shown as this one.
  const view = data && data.run.id === id ? data : undefined;
  if (!view) {
    return (
      <Page title="Pipeline run">
        {error !== undefined ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}
        <p>
          <Link href="/pipelines">All pipeline runs</Link>
        </p>
      </Page>
    );
  }
  const { run } = view;
  const maps = new Set(view.graph.nodes.filter((n) => n.map).map((n) => n.id));
  return (
    <Page title="Pipeline run" actions={<RunActions view={view} reload={reload} />}>
      <p className="run-heading">
        <Link href={`/pipelines?pipeline=${encodeURIComponent(run.pipeline)}`}>{run.pipeline}</Link>{' '}
        <span className="mono muted" data-testid="run-id">
          {run.id}
        </span>
        {run.batch ? <span className="muted"> · run {run.batch.index + 1} of a batch</span> : null}
        {run.cancelRequested && run.status === 'running' ? (
          <span className="muted"> · cancelling…</span>
        ) : null}
      </p>
      {/* A failed re-read keeps the last answer on the page, with why it is not current. */}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      <div className="grid">
        <Card title="Summary" wide>
          <Summary view={view} />
        </Card>
        <Card title="Graph" wide>
          <PipelineGraph
            steps={graphSteps(view)}
            edges={view.graph.edges}
            label={`Steps of ${run.pipeline}, run ${run.id}`}
          />
        </Card>
        <Card title="Steps" wide>
          <PipelineSteps run={run} maps={maps} />
        </Card>
        <Card title="Input">
          <JsonView value={run.input} label="input" />
        </Card>
        {run.error ? (
          <Card title="Error">
            <div className="error-note" data-testid="run-error">
              <code>{run.error.code}</code> in step <strong>{run.error.step}</strong>:{' '}
              {run.error.message}
            </div>
            <Link href={`/tasks/${encodeURIComponent(run.error.taskId)}`}>the failed task</Link>
          </Card>
        ) : (
          <Card title="Output">
            <JsonView value={run.output} label="output" />
          </Card>
        )}
      </div>
    </Page>
  );
}
