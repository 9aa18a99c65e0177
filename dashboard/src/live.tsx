/**
 * One event stream for the whole page (the server's SSE through the client, which sends the
 * token as a header and reconnects by itself). Pages subscribe to the kinds they show and read
 * again when one arrives, so what they show follows the server without a reload.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ServerEvent } from '../../src/client/types.ts';
import { useApi } from './api.tsx';

type Listener = (event: ServerEvent) => void;

interface Live {
  subscribe(listener: Listener): () => void;
  connected: boolean;
}

const LiveContext = createContext<Live | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const { client } = useApi();
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const stop = new AbortController();
    const follow = async () => {
      // A stream that fails for good (server gone longer than the client's reconnect time) is
      // opened again after a pause, for as long as the page is open.
      while (!stop.signal.aborted) {
        try {
          setConnected(true);
          for await (const event of client.events({ signal: stop.signal })) {
            for (const listener of listeners.current) listener(event);
          }
        } catch {
          // Shown as "offline" below; the loop tries again.
        }
        // A stream ended by this effect's cleanup (StrictMode runs effects twice) must not mark
        // the stream of the next run offline.
        if (stop.signal.aborted) return;
        setConnected(false);
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
    };
    void follow();
    return () => stop.abort();
  }, [client]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const live = useMemo<Live>(() => ({ connected, subscribe }), [connected, subscribe]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (live === null) throw new Error('useLive outside LiveProvider');
  return live;
}

/** Call `onEvent` for each event whose kind starts with one of `prefixes` ('task.', …). */
export function useEvents(prefixes: readonly string[], onEvent: Listener): void {
  const { subscribe } = useLive();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = prefixes.join(',');
  useEffect(() => {
    if (key === '') return;
    const wanted = key.split(',');
    return subscribe((event) => {
      if (wanted.some((p) => event.kind.startsWith(p))) handler.current(event);
    });
  }, [subscribe, key]);
}
