/** A task's status history as a timeline: each change with its time, reason and worker. */
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { dateTime } from '../format.ts';
import type { HistoryEntry } from './task-shapes.ts';

export function TaskTimeline({ entries }: { entries: readonly HistoryEntry[] | undefined }) {
  if (entries === undefined) return <p className="muted">Loading…</p>;
  if (entries.length === 0) return <p className="muted">No change recorded.</p>;
  return (
    <ol className="task-timeline" data-testid="task-timeline">
      {entries.map((entry) => (
        <li key={entry.id} data-to={entry.to}>
          <div className="task-timeline-head">
            {entry.from ? (
              <>
                <span className="muted">{entry.from.replace('_', ' ')}</span>
                <span aria-hidden="true" className="muted">
                  →
                </span>
                <span className="sr-only">to</span>
              </>
            ) : null}
            <StatusBadge status={entry.to} />
            <span className="task-timeline-at mono" title={dateTime(entry.at)}>
              {dateTime(entry.at)}
            </span>
            <span className="muted">
              (<TimeAgo at={entry.at} />)
            </span>
          </div>
          {entry.reason || entry.workerId ? (
            <div className="task-timeline-why muted">
              {entry.reason ? <span>{entry.reason}</span> : null}
              {entry.workerId ? (
                <span className="mono" title={entry.workerId}>
                  worker {entry.workerId.slice(-8)}
                </span>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
