/**
 * Numbered pages of the task list: the first, the last, and two either side of the current one,
 * each a link (so it can be opened in a new tab and reached with Tab), with the total beside.
 */
import { Link } from 'wouter';
import { count } from '../format.ts';

/** The page numbers to show, with null where some are left out. */
export function pageNumbers(current: number, last: number): (number | null)[] {
  const shown = new Set([1, last]);
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= last) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const [i, p] of sorted.entries()) {
    const before = sorted[i - 1];
    if (before !== undefined && p - before > 1) out.push(null);
    out.push(p);
  }
  return out;
}

interface Props {
  page: number;
  pageSize: number;
  total: number;
  /** The address of page `n`. */
  href(n: number): string;
}

export function TasksPager({ page, pageSize, total, href }: Props) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const end = Math.min(total, page * pageSize);
  return (
    <nav className="pager tasks-pager" aria-label="Pages" data-testid="tasks-pager">
      <span className="muted tasks-range" data-testid="tasks-total">
        {total === 0 ? 'no tasks' : `${count(first)}–${count(end)} of ${count(total)}`}
      </span>
      {last > 1 ? (
        <ol>
          <li>
            <Step to={page - 1} href={href} enabled={page > 1} label="Previous page">
              ‹
            </Step>
          </li>
          {pageNumbers(page, last).map((n, i) =>
            n === null ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: gaps have no identity of their own
              <li key={`gap-${i}`} className="muted" aria-hidden="true">
                …
              </li>
            ) : (
              <li key={n}>
                <Link
                  href={href(n)}
                  className={`button${n === page ? ' primary' : ''}`}
                  aria-current={n === page ? 'page' : undefined}
                  aria-label={`Page ${n}`}
                >
                  {count(n)}
                </Link>
              </li>
            ),
          )}
          <li>
            <Step to={page + 1} href={href} enabled={page < last} label="Next page">
              ›
            </Step>
          </li>
        </ol>
      ) : null}
    </nav>
  );
}

function Step({
  to,
  href,
  enabled,
  label,
  children,
}: {
  to: number;
  href(n: number): string;
  enabled: boolean;
  label: string;
  children: string;
}) {
  if (!enabled) {
    return (
      <span className="button" aria-disabled="true">
        <span aria-hidden="true">{children}</span>
        <span className="sr-only">{label}</span>
      </span>
    );
  }
  return (
    <Link href={href(to)} className="button" aria-label={label}>
      {children}
    </Link>
  );
}
