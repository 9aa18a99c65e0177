/**
 * The overview's small cards, each reading its own part of the API, so a slow answer (the
 * stats over a large table) never holds up the others.
 */
import { Link } from 'wouter';
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { count, duration, percent } from '../format.ts';
import { useData } from '../use-data.ts';
import {
  OverviewCard,
  OverviewList,
  type Row,
  type TaskmillStats,
  TOP,
} from './overview-parts.tsx';

const EVERY_MS = 5_000;

function tasksOf(query: Record<string, string>): string {
  return `/tasks?${new URLSearchParams(query).toString()}`;
}

export function QueuesCard() {
  const { data, error } = useData((c) => c.queues(), [], {
    refreshOn: ['task.'],
    everyMs: EVERY_MS,
  });
  // The deepest first; a queue whose oldest task waits longest breaks a tie.
  const rows: Row[] | undefined = data
    ?.slice()
    .sort(
      (a, b) =>
        (b.counts.queued ?? 0) - (a.counts.queued ?? 0) ||
        (b.oldestWaitingMs ?? 0) - (a.oldestWaitingMs ?? 0),
    )
    .map((q) => ({
      key: q.name,
      label: (
        <>
          <Link href={tasksOf({ queue: q.name, status: 'queued' })}>{q.name}</Link>
          {q.paused ? <StatusBadge status="paused" /> : null}
        </>
      ),
      value: (
        <>
          <span title="waiting">{count(q.counts.queued ?? 0)}</span>
          <span className="muted" title="oldest waiting">
            {q.oldestWaitingMs === null ? 'none waiting' : duration(q.oldestWaitingMs)}
          </span>
        </>
      ),
    }));
  return (
    <OverviewCard title="Queues" href="/queues" more="All queues" testId="overview-queues">
      <p className="ov-caption muted">waiting · oldest waiting</p>
      <OverviewList rows={rows} error={error} empty="No queues yet." />
    </OverviewCard>
  );
}

export function WorkersCard() {
  const { data, error } = useData((c) => c.workers(), [], {
    refreshOn: ['worker.', 'task.'],
    everyMs: EVERY_MS,
  });
  const online = data?.filter((w) => w.state !== 'offline');
  const rows: Row[] | undefined = online
    ?.slice()
    .sort((a, b) => b.load - a.load || a.name.localeCompare(b.name))
    .map((w) => ({
      key: w.id,
      label: (
        <>
          <Link href="/workers">{w.name}</Link>
          {w.state === 'draining' ? <StatusBadge status="draining" /> : null}
        </>
      ),
      value: (
        <span title="running of capacity">
          {count(w.load)} / {count(w.concurrency)}
        </span>
      ),
    }));
  const more = online && online.length > TOP ? ` (${online.length - TOP} more)` : '';
  return (
    <OverviewCard
      title="Workers online"
      href="/workers"
      more="All workers"
      testId="overview-workers"
    >
      <p className="ov-caption">
        <strong className="ov-big" data-testid="workers-online">
          {online ? count(online.length) : '—'}
        </strong>{' '}
        <span className="muted">online{more} · running / capacity</span>
      </p>
      <OverviewList rows={rows} error={error} empty="No worker is online." />
    </OverviewCard>
  );
}

type TypeStats = [string, TaskmillStats['perType'][string]];

function failedOf([, group]: TypeStats): number {
  return (group.byStatus.failed ?? 0) + (group.byStatus.timed_out ?? 0);
}

/** The slowest task types by p95 duration, from the stats the page already read. */
export function SlowestCard({
  stats,
  error,
}: {
  stats: TaskmillStats | undefined;
  error: unknown;
}) {
  const rows: Row[] | undefined = stats
    ? Object.entries(stats.perType)
        .filter(([, g]) => g.durationMs.samples > 0)
        .sort(([, a], [, b]) => b.durationMs.p95 - a.durationMs.p95)
        .map(([type, g]) => ({
          key: type,
          label: <Link href={tasksOf({ type })}>{type}</Link>,
          value: (
            <>
              <span title="p95">{duration(g.durationMs.p95)}</span>
              <span className="muted" title="median">
                p50 {duration(g.durationMs.p50)}
              </span>
            </>
          ),
        }))
    : undefined;
  return (
    <OverviewCard title="Slowest task types" href="/tasks" more="Tasks" testId="overview-slowest">
      <p className="ov-caption muted">p95 · median, over recent attempts</p>
      <OverviewList rows={rows} error={error} empty="Nothing has finished yet." />
    </OverviewCard>
  );
}

/** The task types that fail most: the lowest success rate, then the most failures. */
export function FailingCard({
  stats,
  error,
}: {
  stats: TaskmillStats | undefined;
  error: unknown;
}) {
  const rows: Row[] | undefined = stats
    ? Object.entries(stats.perType)
        .filter((entry) => failedOf(entry) > 0)
        .sort(
          (a, b) => (a[1].successRate ?? 1) - (b[1].successRate ?? 1) || failedOf(b) - failedOf(a),
        )
        .map((entry) => ({
          key: entry[0],
          label: <Link href={tasksOf({ type: entry[0], status: 'failed' })}>{entry[0]}</Link>,
          value: (
            <>
              <span title="failed or timed out">{count(failedOf(entry))} failed</span>
              <span className="muted" title="success rate">
                {percent(entry[1].successRate)} ok
              </span>
            </>
          ),
        }))
    : undefined;
  return (
    <OverviewCard
      title="Most failing task types"
      href={tasksOf({ status: 'failed' })}
      more="Failed tasks"
      testId="overview-failing"
    >
      <p className="ov-caption muted">failed or timed out · success rate</p>
      <OverviewList rows={rows} error={error} empty="No task type has failed." />
    </OverviewCard>
  );
}

export function SchedulesCard() {
  const { data, error } = useData((c) => c.schedules.list(), [], {
    refreshOn: ['schedule.'],
    everyMs: EVERY_MS,
  });
  const rows: Row[] | undefined = data
    ?.filter((s) => s.enabled && s.nextRunAt !== null)
    .sort((a, b) => (a.nextRunAt?.getTime() ?? 0) - (b.nextRunAt?.getTime() ?? 0))
    .map((s) => ({
      key: s.name,
      label: (
        <>
          <Link href="/schedules">{s.name}</Link> <span className="muted mono">{s.cron}</span>
        </>
      ),
      value: <TimeAgo at={s.nextRunAt} />,
    }));
  return (
    <OverviewCard
      title="Schedules due next"
      href="/schedules"
      more="All schedules"
      testId="overview-schedules"
    >
      <p className="ov-caption muted">enabled schedules · next fire time</p>
      <OverviewList rows={rows} error={error} empty="No schedule is enabled." />
    </OverviewCard>
  );
}

export function PipelinesCard() {
  const { data, error } = useData((c) => c.pipelines.list({ status: 'running', limit: TOP }), [], {
    refreshOn: ['pipeline.'],
    everyMs: EVERY_MS,
  });
  const rows: Row[] | undefined = data?.runs.map((run) => ({
    key: run.id,
    label: (
      <Link href={`/pipelines/runs/${encodeURIComponent(run.id)}`}>
        {run.pipeline} <span className="muted mono">{run.id.slice(-8)}</span>
      </Link>
    ),
    value: (
      <>
        <span title="steps done of all steps">
          {count(run.progress.done)} / {count(run.progress.total)} steps
        </span>
        <TimeAgo at={run.createdAt} />
      </>
    ),
  }));
  return (
    <OverviewCard
      title="Pipeline runs in progress"
      href="/pipelines"
      more="All pipelines"
      testId="overview-pipelines"
    >
      <p className="ov-caption muted">
        {data?.nextCursor ? `the ${TOP} newest shown · ` : ''}steps done · started
      </p>
      <OverviewList rows={rows} error={error} empty="No pipeline is running." />
    </OverviewCard>
  );
}
