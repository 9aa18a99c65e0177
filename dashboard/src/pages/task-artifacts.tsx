/**
 * A task's artifacts, each downloadable. The file comes through the client (the token goes as a
 * header, never in a URL, and its SHA-256 is checked against the server's), then is handed to the
 * browser as an object URL that is let go of once the download has started.
 */
import { useState } from 'react';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { bytes } from '../format.ts';
import type { Artifact } from './task-shapes.ts';

const RELEASE_AFTER_MS = 10_000;

export function TaskArtifacts({ artifacts }: { artifacts: readonly Artifact[] | undefined }) {
  const { client } = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  if (artifacts === undefined) return <p className="muted">Loading…</p>;
  if (artifacts.length === 0) return <p className="muted">None.</p>;

  const download = async (artifact: Artifact) => {
    setBusy(artifact.id);
    setError(undefined);
    try {
      const file = await client.downloadArtifact(artifact.taskId, artifact.id);
      const url = URL.createObjectURL(new Blob([file.bytes.slice()]));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), RELEASE_AFTER_MS);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <ul className="task-artifacts" data-testid="task-artifacts">
        {artifacts.map((a) => (
          <li key={a.id}>
            <div className="task-artifact-name">
              <span className="truncate" title={a.name}>
                {a.name}
              </span>
              <span className="muted">
                {bytes(a.size)} · attempt {a.attempt} · <TimeAgo at={a.createdAt} />
              </span>
              <span className="muted mono truncate" title={`SHA-256 ${a.sha256}`}>
                sha256 {a.sha256.slice(0, 12)}…
              </span>
            </div>
            <button
              type="button"
              className="button"
              disabled={busy === a.id}
              onClick={() => void download(a)}
            >
              {busy === a.id ? 'Downloading…' : 'Download'}
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </>
  );
}
