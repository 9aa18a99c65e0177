/**
 * One schedule's details, shown under its row: its next fire times, its settings and its
 * recent ticks, each linking the task it made.
 */
import { Link } from 'wouter';
import { JsonView } from '../components/json-view.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { dateTime, duration } from '../format.ts';
import type { Schedule, ScheduleRun } from './schedule-types.ts';

function kindOf(run: ScheduleRun): string {
  if (run.manual) return 'run now';
  return run.backfill ? 'catch-up' : 'tick';
}

function Outcome({ run }: { run: ScheduleRun }) {
  if (run.skipped) {
    return <span className="badge badge-skipped">skipped: {run.skipped.replace('_', ' ')}</span>;
  }
  if (run.status) return <StatusBadge status={run.status} />;
  return <span className="muted">{run.taskId ? 'task deleted' : '—'}</span>;
}

export function ScheduleRunsTable({ runs }: { runs: readonly ScheduleRun[] }) {
  if (runs.length === 0) return <p className="muted">No runs kept yet.</p>;
  return (
    <div className="table-wrap">
      <table className="schedule-runs" data-testid="schedule-runs">
        <thead>
          <tr>
            <th>Fire time</th>
            <th>Kind</th>
            <th>Outcome</th>
            <th className="num">Duration</th>
            <th>Task</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr
              key={`${run.scheduledAt.getTime()}-${run.taskId ?? run.skipped}`}
              data-task-id={run.taskId ?? undefined}
            >
              <td>
                <TimeAgo at={run.scheduledAt} />
                <div className="muted">{dateTime(run.scheduledAt)}</div>
              </td>
              <td>{kindOf(run)}</td>
              <td>
                <Outcome run={run} />
              </td>
              <td className="num">{duration(run.durationMs)}</td>
              <td>
                {run.taskId ? (
                  <Link href={`/tasks/${encodeURIComponent(run.taskId)}`} className="mono">
                    …{run.taskId.slice(-12)}
                  </Link>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ScheduleDetail({
  schedule,
  next,
  runs,
}: {
  schedule: Schedule;
  next: readonly Date[] | undefined;
  runs: readonly ScheduleRun[] | undefined;
}) {
  const s = schedule;
  const skipped = Object.entries(s.stats.skipped).filter(([, n]) => n > 0);
  return (
    <div className="schedule-detail" data-testid="schedule-detail">
      <div className="schedule-facts">
        <h3>Next fire times</h3>
        {!s.enabled ? (
          <p className="muted">None while disabled.</p>
        ) : next === undefined ? (
          <p className="muted">Loading…</p>
        ) : next.length === 0 ? (
          <p className="muted">The expression fires no more.</p>
        ) : (
          <ol className="schedule-next" data-testid="schedule-next-times">
            {next.map((at) => (
              <li key={at.getTime()}>
                {dateTime(at)} <span className="muted">(</span>
                <TimeAgo at={at} />
                <span className="muted">)</span>
              </li>
            ))}
          </ol>
        )}
        <h3>Settings</h3>
        <dl className="schedule-settings">
          <dt>Overlap</dt>
          <dd>{s.overlap}</dd>
          <dt>Catch-up</dt>
          <dd>
            {s.catchUp}
            {s.catchUp === 'all' ? ` (within ${duration(s.catchUpWindowMs)})` : ''}
          </dd>
          <dt>Queue · priority</dt>
          <dd>
            {s.queue} · {String(s.priority)}
          </dd>
          <dt>Attempts</dt>
          <dd>{s.maxAttempts ?? 'the type’s'}</dd>
          <dt>Runs kept</dt>
          <dd>
            {s.stats.runs} ({s.stats.completed} completed, {s.stats.failed} failed
            {skipped.length > 0
              ? `; skipped: ${skipped.map(([why, n]) => `${n} ${why.replace('_', ' ')}`).join(', ')}`
              : ''}
            )
          </dd>
          <dt>Mean duration</dt>
          <dd>{duration(s.stats.meanDurationMs)}</dd>
        </dl>
        <h3>Input</h3>
        <JsonView value={s.input} label="input" />
      </div>
      <div className="schedule-recent">
        <h3>Recent runs</h3>
        {runs === undefined ? <p className="muted">Loading…</p> : <ScheduleRunsTable runs={runs} />}
      </div>
    </div>
  );
}
