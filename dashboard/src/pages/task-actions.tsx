/**
 * What may be done to one task, offered only where its status allows it and the token may
 * change tasks: cancel (two presses), retry, pause, resume, and its priority while it waits.
 * What the server answers replaces the task shown; a refusal is shown beside the buttons.
 */
import { useState } from 'react';
import { useApi } from '../api.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import {
  CANCELLABLE,
  PAUSABLE,
  PRIORITIES,
  type PriorityName,
  RETRYABLE,
  type RemoteTask,
  type TaskStatus,
  WAITING,
} from './task-shapes.ts';

const within = (statuses: readonly TaskStatus[], status: TaskStatus) => statuses.includes(status);

export function TaskActions({
  task,
  onChanged,
}: {
  task: RemoteTask;
  onChanged(task: RemoteTask): void;
}) {
  const { client, can } = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  if (!can('write')) return null;

  const act = async (change: () => Promise<RemoteTask>) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await change());
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  const { status } = task;
  const cancellable = within(CANCELLABLE, status) && !task.cancelRequested;
  return (
    <div className="task-actions" data-testid="task-actions">
      {within(WAITING, status) ? (
        <label className="task-priority">
          Priority
          <select
            data-testid="task-priority"
            value={task.priority}
            disabled={busy}
            onChange={(e) => {
              const priority = e.target.value as PriorityName;
              void act(() => client.setPriority(task.id, priority));
            }}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {within(PAUSABLE, status) ? (
        <button
          type="button"
          className="button"
          data-testid="task-pause"
          disabled={busy}
          onClick={() =>
            void act(() => client.pause(task.id, { reason: 'paused from the dashboard' }))
          }
        >
          Pause
        </button>
      ) : null}
      {status === 'paused' ? (
        <button
          type="button"
          className="button"
          data-testid="task-resume"
          disabled={busy}
          onClick={() =>
            void act(() => client.resume(task.id, { reason: 'resumed from the dashboard' }))
          }
        >
          Resume
        </button>
      ) : null}
      {within(RETRYABLE, status) ? (
        <button
          type="button"
          className="button primary"
          data-testid="task-retry"
          disabled={busy}
          onClick={() => void act(() => client.retry(task.id))}
        >
          Retry
        </button>
      ) : null}
      {cancellable ? (
        <span data-testid="task-cancel">
          <ConfirmButton
            danger
            label={status === 'running' ? 'Stop' : 'Cancel'}
            confirmLabel={status === 'running' ? 'Stop it?' : 'Cancel it?'}
            disabled={busy}
            onConfirm={() => act(() => client.cancel(task.id, 'cancelled from the dashboard'))}
          />
        </span>
      ) : null}
      {task.cancelRequested && status === 'running' ? (
        <span className="muted">Stop asked: the worker ends it.</span>
      ) : null}
      <ErrorNote error={error} />
    </div>
  );
}
