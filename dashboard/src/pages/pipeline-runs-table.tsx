/** Pipeline runs as a table, newest first: one row per run, its link, status and progress. */
import { Link } from 'wouter';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { count, duration } from '../format.ts';
import type { PipelineRun } from './pipeline-types.ts';

/** The end of a UUIDv7 tells runs apart; its start is the same for runs started together. */
export function shortId(id: string): string {
  return id.length > 13 ? `…${id.slice(-12)}` : id;
}

export function PipelineRunsTable({ runs }: { runs: readonly PipelineRun[] }) {
  return (
    <div className="table-wrap">
      <table className="pipeline-runs" data-testid="pipeline-runs">
        <colgroup>
          <col className="c-run" />
          <col />
          <col className="c-status" />
          <col className="c-progress" />
          <col className="c-items" />
          <col className="c-time" />
          <col className="c-time" />
        </colgroup>
        <thead>
          <tr>
            <th>Run</th>
            <th>Pipeline</th>
            <th>Status</th>
            <th>Steps ended</th>
            <th className="num">Items</th>
            <th>Started</th>
            <th>Ended</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id} data-status={run.status}>
              <td>
                <Link
                  href={`/pipelines/runs/${encodeURIComponent(run.id)}`}
                  className="mono"
                  title={run.id}
                  aria-label={`Run ${run.id}`}
                >
                  {shortId(run.id)}
                </Link>
              </td>
              <td>
                <div className="truncate" title={run.pipeline}>
                  {run.pipeline}
                </div>
              </td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>
                <ProgressBar
                  value={run.progress.total > 0 ? run.progress.done / run.progress.total : null}
                  message={`${run.progress.done}/${run.progress.total}`}
                />
              </td>
              <td className="num">
                {run.items.total > 0 ? `${count(run.items.done)}/${count(run.items.total)}` : '—'}
              </td>
              <td>
                <TimeAgo at={run.createdAt} />
              </td>
              <td>
                {run.endedAt ? (
                  <>
                    <TimeAgo at={run.endedAt} />
                    <div className="muted">{duration(run.durationMs)}</div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
