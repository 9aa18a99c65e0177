/**
 * A run's steps as a table beside its graph: what the boxes have no room for (attempts, time,
 * the last message, a map's items by status) and a link to each step's task, a map step's also
 * to the task list of its items. Columns have fixed widths so a message or a count that changes
 * moves nothing.
 */
import { Link } from 'wouter';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { count, duration } from '../format.ts';
import type { PipelineRun, PipelineStep } from './pipeline-types.ts';

/** Item statuses in the order a reader follows them. */
const ITEM_ORDER = [
  'completed',
  'running',
  'retrying',
  'queued',
  'pending',
  'paused',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
] as const;

function itemsText(items: NonNullable<PipelineStep['items']>): string {
  const parts = ITEM_ORDER.filter((s) => (items[s] ?? 0) > 0).map(
    (s) => `${count(items[s])} ${s.replace('_', ' ')}`,
  );
  return parts.length > 0 ? parts.join(' · ') : 'no items yet';
}

function StepProgress({ step, mapStep }: { step: PipelineStep; mapStep: boolean }) {
  if (mapStep) {
    const { done, total } = step.progress;
    return (
      <div>
        <ProgressBar value={total > 0 ? done / total : null} message={`${done}/${total}`} />
        <div className="muted step-items">{step.items ? itemsText(step.items) : ''}</div>
      </div>
    );
  }
  if (step.status === 'running' && step.percent !== null) {
    return <ProgressBar value={step.percent / 100} />;
  }
  return <span className="muted">{step.progress.done === 1 ? 'done' : '—'}</span>;
}

export function PipelineSteps({ run, maps }: { run: PipelineRun; maps: ReadonlySet<string> }) {
  return (
    <div className="table-wrap">
      <table className="pipeline-steps" data-testid="pipeline-steps">
        <colgroup>
          <col className="c-step" />
          <col className="c-status" />
          <col className="c-progress" />
          <col className="c-attempt" />
          <col className="c-duration" />
          <col />
          <col className="c-task" />
        </colgroup>
        <thead>
          <tr>
            <th>Step</th>
            <th>Status</th>
            <th>Progress</th>
            <th className="num">Attempt</th>
            <th className="num">Duration</th>
            <th>Message</th>
            <th>Task</th>
          </tr>
        </thead>
        <tbody>
          {run.steps.map((step) => {
            const mapStep = maps.has(step.name);
            return (
              <tr key={step.name} data-step={step.name} data-status={step.status}>
                <td>
                  <div className="step-name truncate" title={step.name}>
                    {step.name}
                  </div>
                  <div className="muted truncate" title={step.task}>
                    {mapStep ? 'map' : 'task'} · {step.task}
                  </div>
                </td>
                <td>
                  <StatusBadge status={step.status} />
                  {step.cached ? <div className="muted">cached</div> : null}
                </td>
                <td>
                  <StepProgress step={step} mapStep={mapStep} />
                </td>
                <td className="num">
                  {step.attempt}/{step.maxAttempts}
                </td>
                <td className="num">{duration(step.durationMs)}</td>
                <td>
                  <div className="truncate step-message" title={step.message ?? undefined}>
                    {step.error
                      ? `${step.error.code}: ${step.error.message}`
                      : (step.message ?? '')}
                  </div>
                </td>
                <td>
                  <Link href={`/tasks/${encodeURIComponent(step.taskId)}`}>
                    {mapStep ? 'step task' : 'task'}
                  </Link>
                  {mapStep ? (
                    <div>
                      <Link
                        href={`/tasks?run=${encodeURIComponent(run.id)}&step=${encodeURIComponent(step.name)}`}
                      >
                        items
                      </Link>
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
