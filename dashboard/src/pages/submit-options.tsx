/**
 * The submit options beside a task's input: a name, a priority, a queue, when to start (a time
 * or a delay) and an idempotency key. Empty means the task type's own.
 */
import { type ReactNode, useId } from 'react';
import { PRIORITIES, type SubmitOptions, type TaskType } from './task-shapes.ts';

export interface OptionsDraft {
  name: string;
  priority: string;
  queue: string;
  /** datetime-local text. */
  runAt: string;
  delaySeconds: string;
  idempotencyKey: string;
}

export const EMPTY_OPTIONS: OptionsDraft = {
  name: '',
  priority: '',
  queue: '',
  runAt: '',
  delaySeconds: '',
  idempotencyKey: '',
};

/** The options to send: what was filled in, as the client takes it. */
export function submitOptions(draft: OptionsDraft): SubmitOptions {
  const options: SubmitOptions = {};
  if (draft.name.trim()) options.name = draft.name.trim();
  if (draft.priority) options.priority = draft.priority as (typeof PRIORITIES)[number];
  if (draft.queue.trim()) options.queue = draft.queue.trim();
  if (draft.runAt) options.runAt = new Date(draft.runAt);
  if (draft.delaySeconds.trim()) options.delayMs = Number(draft.delaySeconds) * 1_000;
  if (draft.idempotencyKey.trim()) options.idempotencyKey = draft.idempotencyKey.trim();
  return options;
}

interface Props {
  type: TaskType;
  queues: readonly string[];
  draft: OptionsDraft;
  onChange(next: OptionsDraft): void;
  errors: ReadonlyMap<string, readonly string[]>;
}

export function SubmitOptionsFields({ type, queues, draft, onChange, errors }: Props) {
  const id = useId();
  const field = (
    key: keyof OptionsDraft,
    apiName: string,
    label: string,
    control: (props: {
      id: string;
      'aria-invalid'?: boolean;
      'aria-describedby'?: string;
    }) => ReactNode,
    help?: string,
  ) => {
    const messages = errors.get(`options.${apiName}`) ?? [];
    const controlId = `${id}-${key}`;
    const describedBy =
      [help ? `${controlId}-help` : '', messages.length ? `${controlId}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined;
    return (
      <div
        className={`field${messages.length ? ' invalid' : ''}`}
        data-testid={`field-options.${apiName}`}
      >
        <label htmlFor={controlId}>{label}</label>
        {control({
          id: controlId,
          'aria-invalid': messages.length > 0 || undefined,
          'aria-describedby': describedBy,
        })}
        {help ? (
          <span className="field-help" id={`${controlId}-help`}>
            {help}
          </span>
        ) : null}
        {messages.length ? (
          <span
            className="field-error"
            id={`${controlId}-error`}
            data-testid={`field-error-options.${apiName}`}
          >
            {messages.join('; ')}
          </span>
        ) : null}
      </div>
    );
  };
  const set = (key: keyof OptionsDraft) => (e: { target: { value: string } }) =>
    onChange({ ...draft, [key]: e.target.value });
  return (
    <div className="submit-options">
      {field(
        'name',
        'name',
        'Name',
        (p) => (
          <input {...p} type="text" maxLength={200} value={draft.name} onChange={set('name')} />
        ),
        'Shown in lists and found by search.',
      )}
      {field('priority', 'priority', 'Priority', (p) => (
        <select {...p} value={draft.priority} onChange={set('priority')}>
          <option value="">type's ({type.priority})</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority}
            </option>
          ))}
        </select>
      ))}
      {field('queue', 'queue', 'Queue', (p) => (
        <>
          <input
            {...p}
            type="text"
            list={`${id}-queues`}
            placeholder={type.queue}
            value={draft.queue}
            onChange={set('queue')}
          />
          <datalist id={`${id}-queues`}>
            {queues.map((q) => (
              <option key={q} value={q} />
            ))}
          </datalist>
        </>
      ))}
      {field(
        'runAt',
        'runAt',
        'Run at',
        (p) => (
          <input
            {...p}
            type="datetime-local"
            step={1}
            value={draft.runAt}
            onChange={set('runAt')}
          />
        ),
        'Not before this time (your time zone).',
      )}
      {field('delaySeconds', 'delayMs', 'Or delay (seconds)', (p) => (
        <input
          {...p}
          type="number"
          min={0}
          step="any"
          value={draft.delaySeconds}
          onChange={set('delaySeconds')}
        />
      ))}
      {field(
        'idempotencyKey',
        'idempotencyKey',
        'Idempotency key',
        (p) => (
          <input {...p} type="text" value={draft.idempotencyKey} onChange={set('idempotencyKey')} />
        ),
        'A second submit with the same key gives back the first task.',
      )}
    </div>
  );
}
