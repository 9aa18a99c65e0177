/**
 * One schedule in the table: what it runs and when, whether it is on, when it fires next, how
 * its last run went; enable, disable and run now for a token with the admin scope; and, opened,
 * its details under it. Its next fire times and recent runs are read again whenever the list's
 * answer for it changes (a tick fired, a run ended, it was enabled), so enabling one shows its
 * next run at once.
 */
import { useState } from 'react';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { dateTime, percent } from '../format.ts';
import { useData } from '../use-data.ts';
import { ScheduleDetail } from './schedule-runs.tsx';
import type { Schedule } from './schedule-types.ts';

const COLUMNS = 8;

interface Props {
  schedule: Schedule;
  open: boolean;
  onToggle(open: boolean): void;
  /** Read the list again after a change made here. */
  reload(): void;
}

export function ScheduleRow({ schedule: s, open, onToggle, reload }: Props) {
  const { client, can } = useApi();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const details = useData(
    async (c) => {
      const [next, runs] = await Promise.all([
        s.enabled ? c.schedules.next(s.name, 3) : Promise.resolve([]),
        c.schedules.runs(s.name, { limit: 10 }),
      ]);
      return { next, runs };
    },
    [
      s.name,
      s.enabled,
      s.updatedAt.getTime(),
      s.nextRunAt?.getTime(),
      s.lastRunAt?.getTime(),
      s.stats.runs,
      s.stats.completed,
      s.stats.failed,
    ],
  );
  const runs = details.data?.runs;
  const last = runs?.find((r) => r.taskId !== null);

  const act = async (what: () => Promise<unknown>, openAfter = false) => {
    setError(undefined);
    setBusy(true);
    try {
      await what();
      if (openAfter) onToggle(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      reload();
      details.reload();
    }
  };

  const detailId = `schedule-detail-${s.name}`;
  return (
    <tbody className={open ? 'open' : undefined} data-schedule={s.name}>
      <tr className="schedule-row">
        <td data-label="Schedule">
          <button
            type="button"
            className="link schedule-toggle"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => onToggle(!open)}
          >
            <span className="chevron" aria-hidden="true">
              {open ? '▾' : '▸'}
            </span>{' '}
            {s.name}
          </button>
          {s.description ? (
            <div className="muted truncate" title={s.description}>
              {s.description}
            </div>
          ) : null}
        </td>
        <td data-label="When">
          <code>{s.cron}</code>
          <div className="muted">{s.timezone}</div>
        </td>
        <td data-label="Task">
          <div className="truncate" title={s.task}>
            {s.task}
          </div>
        </td>
        <td data-label="State">
          <StatusBadge status={s.enabled ? 'enabled' : 'disabled'} />
        </td>
        <td data-label="Next run" data-testid="schedule-next">
          {s.nextRunAt ? (
            <>
              <TimeAgo at={s.nextRunAt} />
              <div className="muted">{dateTime(s.nextRunAt)}</div>
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td data-label="Last run">
          {s.lastRunAt ? <TimeAgo at={s.lastRunAt} /> : <span className="muted">never</span>}
          <div className="last-outcome">
            {last?.status ? <StatusBadge status={last.status} /> : null}
          </div>
        </td>
        <td data-label="Success" className="num">
          {percent(s.stats.successRate, 0)}
          <div className="muted">
            {s.stats.runs} run{s.stats.runs === 1 ? '' : 's'}
          </div>
        </td>
        <td data-label="Actions">
          {can('admin') ? (
            <div className="schedule-actions">
              {s.enabled ? (
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void act(() => client.schedules.disable(s.name))}
                >
                  Disable
                </button>
              ) : (
                <button
                  type="button"
                  className="button primary"
                  disabled={busy}
                  onClick={() => void act(() => client.schedules.enable(s.name))}
                >
                  Enable
                </button>
              )}
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void act(() => client.schedules.runNow(s.name), true)}
              >
                Run now
              </button>
            </div>
          ) : null}
          <ErrorNote error={error} />
        </td>
      </tr>
      {open ? (
        <tr className="schedule-detail-row" id={detailId}>
          <td colSpan={COLUMNS}>
            <ErrorNote error={details.error} />
            <ScheduleDetail schedule={s} next={details.data?.next} runs={runs} />
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
