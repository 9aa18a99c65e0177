/**
 * Start a run of one pipeline with an input written as JSON (admin scope, as
 * `POST /api/v1/pipelines/{name}/runs`), then open it. The server checks the input against the
 * pipeline's schema; what it refuses is shown with the field it names.
 */
import { useId, useState } from 'react';
import { useLocation } from 'wouter';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';

interface Issue {
  path?: unknown;
  message?: unknown;
}

/** The fields the server named: the client keeps them in the error's `details`. */
function issuesOf(error: unknown): string[] {
  const e = error as { issues?: unknown; details?: { issues?: unknown } } | null;
  const issues = e?.issues ?? e?.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.map((raw: Issue) => {
    const path = Array.isArray(raw.path) ? raw.path.join('.') : String(raw.path ?? '');
    return `${path || 'input'}: ${String(raw.message ?? '')}`;
  });
}

export function PipelineStart({ pipeline }: { pipeline: string }) {
  const { client, can } = useApi();
  const [, navigate] = useLocation();
  const [text, setText] = useState('{}');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const id = useId();
  if (!can('admin')) return null;

  const start = async () => {
    setError(undefined);
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (e) {
      setError(new Error(`The input is not JSON: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    setBusy(true);
    try {
      const run = await client.pipelines.run(pipeline, input);
      navigate(`/pipelines/runs/${encodeURIComponent(run.id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const issues = issuesOf(error);
  return (
    <form
      className="pipeline-start"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className={`field${error !== undefined ? ' invalid' : ''}`}>
        <label htmlFor={`${id}-input`}>Input (JSON)</label>
        <textarea
          id={`${id}-input`}
          value={text}
          rows={3}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        {issues.map((issue) => (
          <span key={issue} className="field-error">
            {issue}
          </span>
        ))}
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        Start a run
      </button>
    </form>
  );
}
