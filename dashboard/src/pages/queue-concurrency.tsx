/**
 * A queue's concurrency limit, edited in place: a whole number, or empty for no limit. What the
 * server answers to a bad value is shown beside the field, under the server's code, so the
 * page never second-guesses the API's rules; only text that is no number at all is refused
 * here (the API takes a number or null, and "abc" must not turn into "no limit").
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';

interface Props {
  queue: string;
  limit: number | null;
  /** Read the queues again after a change. */
  onChanged(): void;
}

class NotANumber extends Error {
  readonly code = 'NOT_A_NUMBER';
}

function parse(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new NotANumber('Enter a whole number, or leave it empty for no limit.');
  }
  return value;
}

export function QueueConcurrency({ queue, limit, onChanged }: Props) {
  const { client } = useApi();
  const id = useId();
  const shown = limit === null ? '' : String(limit);
  const [text, setText] = useState(shown);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  // Follow the server's value while the field is not being edited (another user changed it).
  useEffect(() => {
    if (!editing) setText(shown);
  }, [shown, editing]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await client.setQueueConcurrency(queue, parse(text));
      setError(undefined);
      setEditing(false);
      onChanged();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const changed = text.trim() !== shown;
  return (
    <form
      className={`queue-limit${error === undefined ? '' : ' invalid'}`}
      onSubmit={(event) => void save(event)}
      data-testid={`concurrency-form-${queue}`}
    >
      <input
        id={id}
        aria-label={`Concurrency limit of ${queue}`}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="no limit"
        value={text}
        size={7}
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : `${id}-error`}
        onChange={(event) => {
          setText(event.target.value);
          setEditing(true);
        }}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          setText(shown);
          setEditing(false);
          setError(undefined);
        }}
        data-testid={`concurrency-input-${queue}`}
      />
      <button
        type="submit"
        className="button"
        disabled={busy || (!changed && error === undefined)}
        data-testid={`concurrency-save-${queue}`}
      >
        Set
      </button>
      {error === undefined ? null : (
        <div id={`${id}-error`} className="field-error" data-testid={`concurrency-error-${queue}`}>
          <ErrorNote error={error} />
        </div>
      )}
    </form>
  );
}
