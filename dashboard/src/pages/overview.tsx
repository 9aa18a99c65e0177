/**
 * The first page: how many tasks are where, how fast they finish and how often they fail, and
 * the parts of the system a newcomer checks next (queues, workers, slow and failing types,
 * schedules, running pipelines). The whole layout paints at once with placeholders of its
 * final size; each part fills in as its answer arrives and follows the live events.
 */
import { Link } from 'wouter';
import { ErrorNote } from '../components/error-note.tsx';
import { Card, Page } from '../components/page.tsx';
import { ThroughputChart } from '../components/throughput-chart.tsx';
import { count, percent } from '../format.ts';
import { useData } from '../use-data.ts';
import {
  FailingCard,
  PipelinesCard,
  QueuesCard,
  SchedulesCard,
  SlowestCard,
  WorkersCard,
} from './overview-cards.tsx';
import type { TaskmillStats } from './overview-parts.tsx';
import './overview.css';
import { STATUSES } from './task-shapes.ts';

function StatusCounts({ stats }: { stats: TaskmillStats | undefined }) {
  return (
    <ul className="ov-statuses" data-testid="status-counts">
      {STATUSES.map((status) => (
        <li key={status}>
          <Link
            href={`/tasks?status=${status}`}
            className={`ov-status s-${status}`}
            data-status={status}
          >
            <span className="stat-value" data-testid={`count-${status}`}>
              {stats ? count(stats.byStatus[status] ?? 0) : '—'}
            </span>
            <span className="stat-label">{status.replace('_', ' ')}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Task types whose tasks wait with no online worker able to run them: the first thing to fix
 * when a queue does not move. One line, there from the first paint, so it never pushes the page. */
function Unserved({ stats }: { stats: TaskmillStats | undefined }) {
  const types = stats?.unservedTypes ?? [];
  return (
    <p className={`ov-unserved${types.length > 0 ? ' warn' : ''}`} data-testid="unserved-types">
      {stats === undefined ? (
        '\u00a0'
      ) : types.length === 0 ? (
        <span className="muted">Every task type with waiting tasks has an online worker.</span>
      ) : (
        <>
          No online worker runs{' '}
          {types.map((type, i) => (
            <span key={type}>
              {i > 0 ? ', ' : ''}
              <Link href={`/tasks?${new URLSearchParams({ type, status: 'queued' }).toString()}`}>
                {type}
              </Link>
            </span>
          ))}
          : its tasks wait.
        </>
      )}
    </p>
  );
}

function Figures({ stats }: { stats: TaskmillStats | undefined }) {
  const day = stats?.hourly.reduce(
    (sum, h) => ({ completed: sum.completed + h.completed, failed: sum.failed + h.failed }),
    { completed: 0, failed: 0 },
  );
  const failureRate =
    day && day.completed + day.failed > 0 ? day.failed / (day.completed + day.failed) : null;
  const figures: [string, string, string][] = [
    ['per-second', stats ? stats.lastMinute.perSecond.toFixed(2) : '—', 'per second, last minute'],
    ['last-minute', stats ? count(stats.lastMinute.total) : '—', 'ended, last minute'],
    ['completed-24h', day ? count(day.completed) : '—', 'completed, 24 h'],
    ['failure-rate', stats ? percent(failureRate) : '—', 'attempts failed, 24 h'],
  ];
  return (
    <div className="stats ov-figures">
      {figures.map(([id, value, label]) => (
        <div key={id} className="stat">
          <span className="stat-value" data-testid={`figure-${id}`}>
            {value}
          </span>
          <span className="stat-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

export function Overview() {
  const { data: stats, error } = useData((c) => c.stats(), [], {
    refreshOn: ['task.'],
    everyMs: 5_000,
  });
  return (
    <Page title="Overview">
      <div className="grid ov-grid">
        <Card title="Tasks by status" wide>
          {error !== undefined && stats === undefined ? <ErrorNote error={error} /> : null}
          <StatusCounts stats={stats} />
          <Unserved stats={stats} />
        </Card>
        <Card title="Throughput and failures" wide>
          <Figures stats={stats} />
          <ThroughputChart hours={stats?.hourly} />
        </Card>
        <QueuesCard />
        <WorkersCard />
        <SlowestCard stats={stats} error={error} />
        <FailingCard stats={stats} error={error} />
        <SchedulesCard />
        <PipelinesCard />
      </div>
    </Page>
  );
}
