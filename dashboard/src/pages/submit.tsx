/**
 * Submit: pick a task type, fill the form its input schema generates, and send it. The browser
 * does not judge the input (the form is `noValidate`): the API does, and its answer is laid out
 * beside the fields it names, the rest above the form. A task accepted opens its own page.
 */
import { useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { Page } from '../components/page.tsx';
import { SchemaForm } from '../components/schema-form.tsx';
import {
  type Draft,
  type FormIssue,
  fieldKeys,
  formValue,
  initialDraft,
  inputKey,
  isSchema,
} from '../components/schema-form-model.ts';
import { useData } from '../use-data.ts';
import { issuesOf, OPTION_FIELDS, type Placed, placeIssues } from './submit-errors.ts';
import {
  EMPTY_OPTIONS,
  type OptionsDraft,
  SubmitOptionsFields,
  submitOptions,
} from './submit-options.tsx';
import type { TaskType } from './task-shapes.ts';
import { taskPath } from './tasks-table.tsx';
import './submit.css';

export function Submit() {
  const { can } = useApi();
  const { type: chosen } = useParams<{ type?: string }>();
  const [, navigate] = useLocation();
  const types = useData((c) => c.taskTypes(), []);
  const queues = useData((c) => c.queues(), []);
  const sorted = [...(types.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const type = sorted.find((t) => t.name === chosen);

  if (!can('write')) {
    return (
      <Page title="Submit a task">
        <p className="muted">This access token may read but not submit tasks.</p>
      </Page>
    );
  }
  return (
    <Page title="Submit a task">
      <div className="submit-page">
        <div className="field submit-type">
          <label htmlFor="submit-type">Task type</label>
          <select
            id="submit-type"
            data-testid="submit-type"
            value={type?.name ?? ''}
            onChange={(e) =>
              navigate(e.target.value ? `/submit/${encodeURIComponent(e.target.value)}` : '/submit')
            }
          >
            <option value="">choose a type…</option>
            {sorted.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <ErrorNote error={types.error} />
        {type ? (
          <TypeForm
            key={type.name}
            type={type}
            queues={(queues.data ?? []).map((q) => q.name)}
            onSubmitted={(id) => navigate(taskPath(id))}
          />
        ) : chosen && types.data ? (
          <p className="error-note">There is no task type named “{chosen}” on this server.</p>
        ) : (
          <TypeList types={sorted} />
        )}
      </div>
    </Page>
  );
}

function TypeList({ types }: { types: readonly TaskType[] }) {
  if (types.length === 0) return null;
  return (
    <ul className="submit-type-list">
      {types.map((t) => (
        <li key={t.name}>
          <Link href={`/submit/${encodeURIComponent(t.name)}`}>{t.name}</Link>
          {t.description ? <span className="muted"> — {t.description}</span> : null}
        </li>
      ))}
    </ul>
  );
}

const NO_ERRORS: Placed = { byField: new Map(), rest: [] };

function TypeForm({
  type,
  queues,
  onSubmitted,
}: {
  type: TaskType;
  queues: readonly string[];
  onSubmitted(id: string): void;
}) {
  const { client } = useApi();
  const schema = isSchema(type.inputSchema) ? type.inputSchema : {};
  const [draft, setDraft] = useState<Draft>(() => initialDraft(schema));
  const [options, setOptions] = useState<OptionsDraft>(EMPTY_OPTIONS);
  const [placed, setPlaced] = useState<Placed>(NO_ERRORS);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const shown = new Set([...fieldKeys(schema), ...OPTION_FIELDS.map((o) => `options.${o}`)]);

  const send = async () => {
    const local: FormIssue[] = [];
    const input = formValue(schema, draft, true, '', local);
    setFailure(undefined);
    if (local.length > 0) {
      const mapped = local.map((i) => ({ path: inputKey(i.path), message: i.message }));
      return setPlaced(placeIssues(mapped, shown));
    }
    setBusy(true);
    try {
      const task = await client.submit(type.name, input, submitOptions(options));
      onSubmitted(task.id);
    } catch (error) {
      setPlaced(placeIssues(issuesOf(error), shown));
      setFailure(error);
      setBusy(false);
    }
  };
  return (
    <form
      className="submit-form"
      data-testid="submit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="submit-about">
        {type.description ? <p>{type.description}</p> : null}
        <p className="muted">
          queue {type.queue} · priority {type.priority} · {type.executor} · up to {type.maxAttempts}{' '}
          attempts
        </p>
      </div>
      <div data-testid="submit-errors">
        {failure !== undefined ? <SubmitFailure error={failure} placed={placed} /> : null}
      </div>
      <fieldset className="card submit-section">
        <legend>Input</legend>
        <SchemaForm schema={schema} draft={draft} onChange={setDraft} errors={placed.byField} />
      </fieldset>
      <fieldset className="card submit-section">
        <legend>Options</legend>
        <SubmitOptionsFields
          type={type}
          queues={queues}
          draft={options}
          onChange={setOptions}
          errors={placed.byField}
        />
      </fieldset>
      <div className="submit-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="submit-send">
          {busy ? 'Submitting…' : `Submit ${type.name}`}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(initialDraft(schema));
            setOptions(EMPTY_OPTIONS);
            setPlaced(NO_ERRORS);
            setFailure(undefined);
          }}
        >
          Reset to defaults
        </button>
      </div>
    </form>
  );
}

/** Why the server refused: its own message when no issue names a field, otherwise a line
 * that points at the fields, and the issues no field holds. */
function SubmitFailure({ error, placed }: { error: unknown; placed: Placed }) {
  const onFields = [...placed.byField.values()].reduce((n, m) => n + m.length, 0);
  if (onFields === 0 && placed.rest.length === 0) return <ErrorNote error={error} />;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    <div className="error-note" role="alert">
      {typeof code === 'string' ? <code>{code}</code> : null} Not submitted
      {onFields > 0
        ? `: ${onFields === 1 ? 'one problem' : `${onFields} problems`} marked below`
        : ''}
      {placed.rest.length > 0 ? (
        <ul className="submit-rest">
          {placed.rest.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
