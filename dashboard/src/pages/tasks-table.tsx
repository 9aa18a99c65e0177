/**
 * One page of tasks as a table. Columns have fixed widths and cells one line each, so rows do not
 * move as statuses and progress change under them; each row's first cell is a link to the task,
 * which is how a keyboard reaches it (Tab, Enter), and a click anywhere on the row follows it.
 */
import { Link, useLocation } from 'wouter';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { type RemoteTask, shortId } from './task-shapes.ts';

/** Each column's heading and its classes (width; `col-wide`: hidden on a phone). */
const COLUMNS = [
  ['Task', 'w-task'],
  ['Type', 'w-type'],
  ['Queue', 'w-queue col-wide'],
  ['Status', 'w-status'],
  ['Priority', 'w-priority col-wide'],
  ['Attempt', 'w-attempt num'],
  ['Progress', 'w-progress'],
  ['Created', 'w-time col-wide'],
  ['Updated', 'w-time'],
] as const;

export function taskPath(id: string): string {
  return `/tasks/${encodeURIComponent(id)}`;
}

export function TasksTable({ tasks, busy }: { tasks: readonly RemoteTask[]; busy: boolean }) {
  const [, navigate] = useLocation();
  return (
    <div className="table-wrap">
      <table className="tasks-table" data-testid="tasks-table" aria-busy={busy}>
        <thead>
          <tr>
            {COLUMNS.map(([label, className]) => (
              <th key={label} scope="col" className={className}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr
              key={task.id}
              data-task-id={task.id}
              // The link in the first cell is what a keyboard uses; a click on the rest of the
              // row is a convenience for a mouse, so it needs no key handler of its own.
              onClick={(e) => {
                if ((e.target as HTMLElement).closest('a, button, input, select')) return;
                navigate(taskPath(task.id));
              }}
            >
              <td className="truncate">
                <Link href={taskPath(task.id)} className="tasks-link" title={task.id}>
                  <span className="mono">{shortId(task.id)}</span>
                  {task.name ? <span className="tasks-name">{task.name}</span> : null}
                </Link>
              </td>
              <td className="truncate" title={task.type}>
                {task.type}
              </td>
              <td className="truncate col-wide" title={task.queue}>
                {task.queue}
              </td>
              <td>
                <StatusBadge status={task.status} />
              </td>
              <td className="col-wide">{task.priority}</td>
              <td className="num">
                {task.attempt}/{task.maxAttempts}
              </td>
              <td>
                {task.progress === null ? (
                  <span className="muted">—</span>
                ) : (
                  <ProgressBar value={task.progress / 100} />
                )}
              </td>
              <td className="col-wide">
                <TimeAgo at={task.createdAt} />
              </td>
              <td>
                <TimeAgo at={task.finishedAt ?? task.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
