/** Input, output, metrics: pretty JSON as plain text, whatever it holds (never markup). */
import { json } from '../format.ts';

export function JsonView({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) return <p className="muted">none</p>;
  return (
    <pre className="json" data-label={label}>
      {json(value)}
    </pre>
  );
}
