/**
 * The task list's filter bar. Every control writes the address's query (through `onChange`), so
 * what the table shows is always what the address says; typed text is written once the typing
 * pauses, not at every key, so the list is not read again for each letter.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { SORTS, type SortField, STATUSES, shortId, type TaskStatus } from './task-shapes.ts';
import {
  DEFAULT_QUERY,
  fromLocalInput,
  localInput,
  NO_FILTERS,
  type TaskQuery,
} from './tasks-query.ts';

const TYPING_PAUSE_MS = 400;

interface Props {
  query: TaskQuery;
  /** A changed filter: the page goes back to 1 (the caller's job). */
  onChange(next: Partial<TaskQuery>): void;
  types: readonly string[];
  queues: readonly string[];
}

export function TasksFilters({ query, onChange, types, queues }: Props) {
  const filtered = Object.entries(DEFAULT_QUERY).some(
    ([key, value]) =>
      key !== 'sort' &&
      key !== 'order' &&
      key !== 'page' &&
      JSON.stringify(query[key as keyof TaskQuery]) !== JSON.stringify(value),
  );
  return (
    <search className="filters tasks-filters" aria-label="Filter tasks" data-testid="task-filters">
      <StatusPicker value={query.status} onChange={(status) => onChange({ status })} />
      <Choice
        label="Type"
        name="type"
        value={query.type}
        options={types}
        onChange={(type) => onChange({ type })}
      />
      <Choice
        label="Queue"
        name="queue"
        value={query.queue}
        options={queues}
        onChange={(queue) => onChange({ queue })}
      />
      <TypedText
        label="Name"
        name="name"
        value={query.name}
        placeholder="part of a name"
        onChange={(name) => onChange({ name })}
      />
      <TypedText
        label="Search"
        name="q"
        value={query.search}
        placeholder="id, name, type, input, error"
        onChange={(search) => onChange({ search })}
        wide
      />
      {query.run || query.step ? <RunFilter run={query.run} step={query.step} /> : null}
      <div className="field">
        <label htmlFor="tasks-from">Created from</label>
        <input
          id="tasks-from"
          type="datetime-local"
          value={localInput(query.from)}
          onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor="tasks-to">Created before</label>
        <input
          id="tasks-to"
          type="datetime-local"
          value={localInput(query.to)}
          onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor="tasks-sort">Sort by</label>
        <div className="tasks-sort">
          <select
            id="tasks-sort"
            value={query.sort}
            onChange={(e) => onChange({ sort: e.target.value as SortField })}
          >
            {SORTS.map(([field, label]) => (
              <option key={field} value={field}>
                {label}
              </option>
            ))}
          </select>
          <select
            aria-label="Order"
            value={query.order}
            onChange={(e) => onChange({ order: e.target.value === 'asc' ? 'asc' : 'desc' })}
          >
            <option value="desc">newest first</option>
            <option value="asc">oldest first</option>
          </select>
        </div>
      </div>
      {filtered ? (
        <button type="button" className="button tasks-clear" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      ) : null}
    </search>
  );
}

/** The pipeline run and step the list is narrowed to (set from a run's page, cleared with the
 * other filters): no control of its own, a link back to the run. */
function RunFilter({ run, step }: { run: string; step: string }) {
  const stepText = step ? `step ${step}` : '';
  return (
    <div className="field" data-testid="run-filter">
      <span className="field-label">Pipeline</span>
      <span className="run-filter truncate">
        {run ? (
          <Link href={`/pipelines/runs/${encodeURIComponent(run)}`} title={run}>
            run {shortId(run)}
          </Link>
        ) : null}
        {run && step ? ' · ' : ''}
        {stepText}
      </span>
    </div>
  );
}

/** Several statuses at once, in a menu that opens under its button. */
function StatusPicker({
  value,
  onChange,
}: {
  value: readonly TaskStatus[];
  onChange(next: TaskStatus[]): void;
}) {
  const toggle = (status: TaskStatus, on: boolean) =>
    onChange(STATUSES.filter((s) => (s === status ? on : value.includes(s))));
  return (
    <div className="field">
      <span className="field-label" id="tasks-status-label">
        Status
      </span>
      <details className="tasks-status-menu" data-testid="status-filter">
        <summary aria-describedby="tasks-status-label">
          {value.length === 0 ? 'any' : value.map((s) => s.replace('_', ' ')).join(', ')}
        </summary>
        <fieldset>
          <legend className="sr-only">Statuses to show</legend>
          {STATUSES.map((status) => (
            <label key={status} className="tasks-check">
              <input
                type="checkbox"
                name="status"
                value={status}
                checked={value.includes(status)}
                onChange={(e) => toggle(status, e.target.checked)}
              />
              {status.replace('_', ' ')}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}

function Choice({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  options: readonly string[];
  onChange(next: string): void;
}) {
  // A value from the address that no longer exists (a removed type) still shows as chosen.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="field">
      <label htmlFor={`tasks-${name}`}>{label}</label>
      <select
        id={`tasks-${name}`}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">any</option>
        {all.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Text written to the query once typing pauses, or at once on Enter. */
function TypedText({
  label,
  name,
  value,
  placeholder,
  onChange,
  wide,
}: {
  label: string;
  name: string;
  value: string;
  placeholder: string;
  onChange(next: string): void;
  wide?: boolean;
}) {
  const [text, setText] = useState(value);
  const sent = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The address changed by other means (back button, "Clear filters"): show what it says.
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const send = (next: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const trimmed = next.trim();
    if (trimmed === sent.current) return;
    sent.current = trimmed;
    onChange(trimmed);
  };
  return (
    <div className={`field${wide ? ' tasks-wide-field' : ''}`}>
      <label htmlFor={`tasks-${name}`}>{label}</label>
      <input
        id={`tasks-${name}`}
        name={name}
        type="search"
        value={text}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => send(next), TYPING_PAUSE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') send(text);
        }}
        onBlur={() => send(text)}
      />
    </div>
  );
}
