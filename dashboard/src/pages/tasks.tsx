/**
 * Tasks: the table of every task, filtered, sorted and paged as the address's query says, kept
 * current by the event stream without a reload; with bulk retry and cancel of the filtered set
 * for a token that may change tasks.
 */
import { useCallback } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { Page } from '../components/page.tsx';
import { useData } from '../use-data.ts';
import { TasksBulk } from './tasks-bulk.tsx';
import { TasksFilters } from './tasks-filters.tsx';
import { TasksPager } from './tasks-pager.tsx';
import {
  bulkApplies,
  listOptions,
  PAGE_SIZE,
  parseQuery,
  queryString,
  type TaskQuery,
} from './tasks-query.ts';
import { TasksTable } from './tasks-table.tsx';
import './tasks.css';

export function Tasks() {
  const { can } = useApi();
  const search = useSearch();
  const [, navigate] = useLocation();
  const query = parseQuery(search);

  // The page number goes with the rows read for it: while the next page is on its way the
  // old rows stay, and the pager must go on saying which page they are.
  const list = useData(
    async (client) => ({ ...(await client.list(listOptions(query))), number: query.page }),
    [search],
    { refreshOn: ['task.status', 'task.progress'] },
  );
  const types = useData((client) => client.taskTypes(), []);
  const queues = useData((client) => client.queues(), []);

  const go = useCallback((next: TaskQuery) => navigate(`/tasks${queryString(next)}`), [navigate]);
  const change = (part: Partial<TaskQuery>) => go({ ...query, ...part, page: 1 });
  const pageHref = (page: number) => `/tasks${queryString({ ...query, page })}`;

  const page = list.data;
  return (
    <Page
      title="Tasks"
      actions={
        can('write') ? (
          <Link href="/submit" className="button primary">
            Submit a task
          </Link>
        ) : null
      }
    >
      <TasksFilters
        query={query}
        onChange={change}
        types={(types.data ?? []).map((t) => t.name).sort()}
        queues={(queues.data ?? []).map((q) => q.name).sort()}
      />
      {can('write') && bulkApplies(query) ? <TasksBulk query={query} onDone={list.reload} /> : null}
      <ErrorNote error={list.error} />
      <div className="card tasks-card">
        {page === undefined ? (
          <p className="muted tasks-empty">
            {list.error ? 'Could not read the tasks.' : 'Loading…'}
          </p>
        ) : (
          <>
            <TasksTable tasks={page.tasks} busy={list.loading} />
            {page.tasks.length === 0 ? (
              <p className="muted tasks-empty" data-testid="tasks-empty">
                No task matches.{' '}
                {query.page > 1 ? <Link href={pageHref(1)}>Back to the first page</Link> : null}
              </p>
            ) : null}
            <TasksPager
              page={page.number}
              pageSize={PAGE_SIZE}
              total={page.total ?? page.tasks.length}
              href={pageHref}
            />
          </>
        )}
      </div>
    </Page>
  );
}
