/** A task's progress (0..1) at a fixed height, so it appears without moving anything. */
export function ProgressBar({ value, message }: { value: number | null; message?: string | null }) {
  const shown = value === null ? null : Math.max(0, Math.min(1, value));
  return (
    <div className="progress">
      <progress
        max={1}
        value={shown ?? undefined}
        aria-label={message ?? 'progress'}
        aria-valuetext={shown === null ? 'unknown' : `${Math.round(shown * 100)} %`}
      />
      <span className="progress-text">
        {shown === null ? '—' : `${Math.round(shown * 100)} %`}
        {message ? ` · ${message}` : ''}
      </span>
    </div>
  );
}
