/**
 * A task's log lines, followed live: read from the start in pages, then the lines after the last
 * one seen whenever the stream says the task logged (or every few seconds while it may still
 * run, for workers whose events do not reach this server). The box has a fixed height and keeps
 * to its end unless the reader has scrolled up to read.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApi } from '../api.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { count, dateTime } from '../format.ts';
import { useEvents } from '../live.tsx';
import type { LogEntry } from './task-shapes.ts';

const PAGE = 1_000;
/** Lines kept in the page: a task that logged more shows its latest ones. */
const KEEP = 2_000;
const POLL_MS = 3_000;

/** Give this a `key` of the task's id: a new task starts afresh. */
export function TaskLogs({ taskId, running }: { taskId: string; running: boolean }) {
  const { client } = useApi();
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [seen, setSeen] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const lastId = useRef(0);
  const busy = useRef(false);
  const again = useRef(false);

  // One read at a time; what arrives meanwhile makes it read once more when done.
  const pull = useCallback(async () => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    try {
      do {
        again.current = false;
        for (;;) {
          const page = await client.logs(taskId, { afterId: lastId.current, limit: PAGE });
          const last = page.at(-1);
          if (last === undefined) break;
          lastId.current = last.id;
          setSeen((n) => n + page.length);
          setLines((shown) => shown.concat(page).slice(-KEEP));
          if (page.length < PAGE) break;
        }
      } while (again.current);
      setError(undefined);
    } catch (reason) {
      setError(reason);
    } finally {
      busy.current = false;
      setLoaded(true);
    }
  }, [client, taskId]);

  useEffect(() => {
    void pull();
  }, [pull]);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void pull(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, pull]);
  useEvents(['task.log'], (event) => {
    if (event.kind === 'task.log' && event.data.taskId === taskId) void pull();
  });

  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each new batch of lines
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const dropped = seen - lines.length;
  return (
    <>
      {dropped > 0 ? (
        <p className="muted task-logs-note">
          {count(dropped)} earlier lines not shown; the latest {count(lines.length)} follow.
        </p>
      ) : null}
      <div
        ref={box}
        className="task-logs"
        role="log"
        aria-label="Log lines"
        // Focusable so a keyboard can scroll it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keys
        tabIndex={0}
        data-testid="task-logs"
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        {lines.length === 0 ? (
          <span className="muted">{loaded ? 'No log lines yet.' : 'Loading…'}</span>
        ) : (
          lines.map((line) => (
            <div key={line.id} className={`task-log-line task-log-${line.level}`}>
              <time dateTime={line.at.toISOString()} title={dateTime(line.at)}>
                {dateTime(line.at).slice(11)}
              </time>
              <span className="task-log-level">{line.level}</span>
              <span className="task-log-message">{line.message}</span>
            </div>
          ))
        )}
      </div>
      <ErrorNote error={error} />
    </>
  );
}
