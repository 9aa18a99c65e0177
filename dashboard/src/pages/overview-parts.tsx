/**
 * The building blocks of the overview's cards: a card whose heading links to the full page,
 * and a short list that keeps the height of its longest content from the first paint, so
 * nothing below moves when answers arrive or a row comes and goes.
 */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { Client } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';

/** What stats() answers (the client does not name the type). */
export type TaskmillStats = Awaited<ReturnType<Client['stats']>>;

/** Rows every overview list has room for. */
export const TOP = 5;

export function OverviewCard({
  title,
  href,
  more,
  testId,
  children,
}: {
  title: string;
  href: string;
  more: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="card ov-card" data-testid={testId}>
      <header className="ov-card-head">
        <h2>{title}</h2>
        <Link href={href} className="ov-more">
          {more}
        </Link>
      </header>
      {children}
    </section>
  );
}

export interface Row {
  key: string;
  /** What the row is about: usually a link. */
  label: ReactNode;
  /** Figures on the right, aligned. */
  value: ReactNode;
}

/**
 * Up to TOP rows. `rows` undefined: still loading (placeholders of the same height); an
 * `error` with no rows yet is shown in place of the list.
 */
export function OverviewList({
  rows,
  error,
  empty,
}: {
  rows: readonly Row[] | undefined;
  error: unknown;
  empty: string;
}) {
  if (rows === undefined && error !== undefined) {
    return (
      <div className="ov-list">
        <ErrorNote error={error} />
      </div>
    );
  }
  if (rows === undefined) {
    return (
      <ul className="ov-list" aria-busy="true">
        {Array.from({ length: TOP }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
          <li key={i} className="ov-row">
            <span className="ov-skeleton" />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ul className="ov-list">
      {rows.length === 0 ? (
        <li className="ov-row muted">{empty}</li>
      ) : (
        rows.slice(0, TOP).map((row) => (
          <li key={row.key} className="ov-row">
            <span className="ov-label truncate">{row.label}</span>
            <span className="ov-value">{row.value}</span>
          </li>
        ))
      )}
    </ul>
  );
}
