/**
 * Every attempt of a task with how it ended, its error and stack; and the metrics its attempts
 * recorded (duration and peak memory always, the handler's own besides).
 */
import { StatusBadge } from '../components/status-badge.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { bytes, count, duration } from '../format.ts';
import type { Attempt } from './task-shapes.ts';

export function TaskAttempts({ attempts }: { attempts: readonly Attempt[] | undefined }) {
  if (attempts === undefined) return <p className="muted">Loading…</p>;
  if (attempts.length === 0) return <p className="muted">Not started yet.</p>;
  return (
    <ol className="task-attempts" data-testid="task-attempts">
      {attempts.map((a) => {
        const took =
          a.metrics?.durationMs ??
          (a.finishedAt ? a.finishedAt.getTime() - a.startedAt.getTime() : null);
        return (
          <li key={a.id} data-attempt={a.attempt}>
            <div className="task-attempt-head">
              <strong>Attempt {a.attempt}</strong>
              <StatusBadge status={a.outcome ?? 'running'} />
              <span className="muted">
                started <TimeAgo at={a.startedAt} />
                {took === null ? '' : ` · took ${duration(took)}`}
              </span>
              <span className="muted mono" title={a.workerId}>
                worker {a.workerId.slice(-8)}
              </span>
            </div>
            {a.error ? (
              <div className="task-attempt-error" data-testid="attempt-error">
                <div>
                  <code>{a.error.code}</code> <span>{a.error.message}</span>
                  {a.error.retryable ? null : <span className="muted"> (not retryable)</span>}
                </div>
                {a.error.stack ? (
                  <details>
                    <summary>Stack</summary>
                    <pre className="json">{a.error.stack}</pre>
                  </details>
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** A metric's value in its unit: names ending in Ms are times, in Bytes sizes. */
function metricValue(name: string, value: number): string {
  if (/ms$/i.test(name)) return duration(value);
  if (/bytes$/i.test(name)) return bytes(value);
  return count(value);
}

export function TaskMetrics({ attempts }: { attempts: readonly Attempt[] | undefined }) {
  const measured = (attempts ?? []).filter((a) => a.metrics !== null);
  if (measured.length === 0) {
    return <p className="muted">{attempts === undefined ? 'Loading…' : 'None recorded yet.'}</p>;
  }
  const names = [...new Set(measured.flatMap((a) => Object.keys(a.metrics ?? {})))];
  return (
    <div className="table-wrap">
      <table data-testid="task-metrics">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {measured.map((a) => (
              <th key={a.id} scope="col" className="num">
                Attempt {a.attempt}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {measured.map((a) => {
                const value = a.metrics?.[name];
                return (
                  <td key={a.id} className="num">
                    {value === undefined ? '—' : metricValue(name, value)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
