/**
 * Read something from the server, keep showing the last answer while reading again (so nothing
 * jumps as live updates arrive), and read again when events of the given kinds arrive or every
 * `everyMs` — paced by `ReadPacer`: one read at a time, at most one a second, less often when
 * reads are slow.
 */
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { type Client, useApi } from './api.tsx';
import { useEvents } from './live.tsx';
import { ReadPacer } from './read-pacer.ts';

export interface Data<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export interface DataOptions {
  /** Event kind prefixes that make it read again: 'task.', 'schedule.', 'pipeline.' … */
  refreshOn?: readonly string[];
  everyMs?: number;
}

/** Re-reads wait at least this long after the last one ended… */
const MIN_GAP_MS = 1_000;
/** …and at least this many times what it took, so a view spends at most a quarter of its time
 * waiting on the server (docs/dashboard.md, "Size and speed"). */
const GAP_FACTOR = 3;

export function useData<T>(
  load: (client: Client) => Promise<T>,
  deps: DependencyList,
  options: DataOptions = {},
): Data<T> {
  const { client } = useApi();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const pacer = useRef<ReadPacer | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const read = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    return loadRef.current(client).then(
      (value) => {
        // A read for an earlier view (other filters) that ends after this one's started must not
        // overwrite it.
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (mine !== generation.current) return;
        setError(reason);
        setLoading(false);
      },
    );
  }, [client, ...deps]);

  useEffect(() => {
    const mine = new ReadPacer(read, { minGapMs: MIN_GAP_MS, gapFactor: GAP_FACTOR });
    pacer.current = mine;
    mine.request({ urgent: true });
    return () => mine.dispose();
  }, [read]);

  useEffect(() => {
    if (!options.everyMs) return;
    const timer = setInterval(() => pacer.current?.request(), options.everyMs);
    return () => clearInterval(timer);
  }, [options.everyMs]);

  useEvents(options.refreshOn ?? [], () => pacer.current?.request());

  const reload = useCallback(() => pacer.current?.request({ urgent: true }), []);
  return { data, error, loading, reload };
}
