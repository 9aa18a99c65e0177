/**
 * The API's validation answer laid out on the submit form: each issue beside the field its path
 * names, the rest above the form. Paths come in a few forms — `input.count` (the typed submit
 * route's body), `items[0].input.count` (a batch), `options.priority` (the client's own check),
 * `priority` (a body field), or a bare `count` — and an issue deeper than any field shown (an
 * array's item) goes to the nearest field that holds it.
 */

/** The submit options the form shows, by the name the API gives them. */
export const OPTION_FIELDS = ['name', 'priority', 'queue', 'runAt', 'delayMs', 'idempotencyKey'];

export interface Placed {
  /** Messages by form key (`input`, `input.<path>`, `options.<name>`). */
  byField: ReadonlyMap<string, readonly string[]>;
  /** Messages no field shown can hold, with their path when they had one. */
  rest: readonly string[];
}

interface Issue {
  path: string;
  message: string;
}

/** The issues of an error the client threw (TaskmillError: `details.issues`), if any. */
export function issuesOf(error: unknown): Issue[] {
  const details = (error as { details?: unknown } | null)?.details;
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i: unknown) => {
    const { path, message } = (i ?? {}) as { path?: unknown; message?: unknown };
    return typeof message === 'string'
      ? [{ path: typeof path === 'string' ? path : '', message }]
      : [];
  });
}

/** `items[0].input.tags[2]` → `input.tags.2`. */
function normalise(path: string): string {
  return path
    .replace(/^(?:body\.)?items\[\d+\]\./, '')
    .replace(/^body\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');
}

function candidateKey(path: string): string | null {
  const p = normalise(path);
  if (p === '' || p === 'body') return null;
  const option = p.startsWith('options.') ? p.slice('options.'.length) : p;
  if (OPTION_FIELDS.includes(option)) return `options.${option}`;
  if (p === 'input' || p.startsWith('input.')) return p;
  if (p.startsWith('options.')) return null;
  // A bare field name: the input's, as some answers give it.
  return `input.${p}`;
}

/** The key of the deepest field shown that holds `key` (`input.tags.2` → `input.tags`). */
function nearest(key: string, shown: ReadonlySet<string>): string | null {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (shown.has(candidate)) return candidate;
  }
  return null;
}

export function placeIssues(issues: readonly Issue[], shown: ReadonlySet<string>): Placed {
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const issue of issues) {
    const key = candidateKey(issue.path);
    const field = key === null ? null : nearest(key, shown);
    if (field === null) {
      rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), issue.message]);
  }
  return { byField, rest };
}
