/** A task's, run's or worker's status as a coloured label; the colour is never the only sign. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status.replace('_', ' ')}
    </span>
  );
}
