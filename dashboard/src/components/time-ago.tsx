/** A time as "3 min ago", its exact value on hover; it moves on with the clock. */
import { useEffect, useState } from 'react';
import { dateTime, relative } from '../format.ts';

const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** One timer for the page, however many times are shown. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    subscribers.add(tick);
    timer ??= setInterval(() => {
      for (const s of subscribers) s();
    }, 1_000);
    return () => {
      subscribers.delete(tick);
      if (subscribers.size === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return now;
}

export function TimeAgo({ at }: { at: Date | null | undefined }) {
  const now = useNow();
  if (!at) return <span className="muted">—</span>;
  return (
    <time dateTime={at.toISOString()} title={dateTime(at)}>
      {relative(at, now)}
    </time>
  );
}
