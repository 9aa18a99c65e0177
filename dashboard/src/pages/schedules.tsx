/**
 * Schedules (`/schedules`): every schedule with its expression and zone, task type, state, next
 * and last run; opened, its next fire times and recent runs. Enable, disable and run now need
 * the admin scope (src/server/auth.ts). Follows `schedule.*` and `task.status` events (a run's
 * task ending), and reads again every 10 s for what no event announces (the next fire time
 * moving on, a worker elsewhere). Which rows
 * are open is kept in the address (`?open=name`), so a link can open one.
 */
import { useSearchParams } from 'wouter';
import { ErrorNote } from '../components/error-note.tsx';
import { Page } from '../components/page.tsx';
import { useData } from '../use-data.ts';
import { ScheduleRow } from './schedule-row.tsx';
import './schedules.css';

export function Schedules() {
  const { data, error, reload } = useData((client) => client.schedules.list(), [], {
    // A run's task ending changes the schedule's outcome and stats ('task.status').
    refreshOn: ['schedule.', 'task.status'],
    everyMs: 10_000,
  });
  const [params, setParams] = useSearchParams();
  const opened = new Set(params.getAll('open'));
  const toggle = (name: string, open: boolean) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        const names = new Set(next.getAll('open'));
        if (open) names.add(name);
        else names.delete(name);
        next.delete('open');
        for (const n of names) next.append('open', n);
        return next;
      },
      { replace: true },
    );
  };

  return (
    <Page title="Schedules">
      <ErrorNote error={error} />
      {data === undefined ? (
        error === undefined ? (
          <p className="muted">Loading…</p>
        ) : null
      ) : data.length === 0 ? (
        <p className="muted" data-testid="no-schedules">
          No schedules yet. Add one with <code>taskmill schedules add</code>, a schedules file (
          <code>--schedules</code>) or <code>POST /api/v1/schedules</code>.
        </p>
      ) : (
        <div className="card">
          <div className="table-wrap">
            <table className="schedules" data-testid="schedules">
              <thead>
                <tr>
                  <th>Schedule</th>
                  <th>When</th>
                  <th>Task</th>
                  <th>State</th>
                  <th>Next run</th>
                  <th>Last run</th>
                  <th className="num">Success</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              {data.map((schedule) => (
                <ScheduleRow
                  key={schedule.name}
                  schedule={schedule}
                  open={opened.has(schedule.name)}
                  onToggle={(open) => toggle(schedule.name, open)}
                  reload={reload}
                />
              ))}
            </table>
          </div>
        </div>
      )}
    </Page>
  );
}
