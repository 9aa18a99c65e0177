/**
 * The known name a mistyped one most likely meant, for the "did you mean …?" of an error. Runs
 * only once a call has already failed, so it favours clear answers over speed.
 */

/** A known name, and what to say when it does not mean quite the same as the one given. */
export interface Suggestion {
  name: string;
  note?: string;
}

/**
 * Names other task queues (and the documents taskmill grew from) use for what taskmill calls
 * otherwise, written normalised (lower case, no `_` or `-`). Suggested only where the call knows
 * the name they point to.
 */
const SYNONYMS: Record<string, readonly Suggestion[]> = {
  maxretries: [{ name: 'maxAttempts', note: 'attempts in all, the first run included' }],
  retries: [{ name: 'maxAttempts', note: 'attempts in all, the first run included' }],
  retrylimit: [{ name: 'maxAttempts', note: 'attempts in all, the first run included' }],
  attempts: [{ name: 'maxAttempts' }],
  backoff: [{ name: 'retry' }],
  timeoutseconds: [{ name: 'timeout', note: '{ softMs?, hardMs? } in milliseconds' }],
  timeoutms: [{ name: 'timeout', note: '{ softMs?, hardMs? }' }],
  expireinseconds: [{ name: 'timeout', note: '{ softMs?, hardMs? } in milliseconds' }],
  startafter: [{ name: 'runAt' }, { name: 'delayMs' }],
  delay: [{ name: 'delayMs' }],
  singletonkey: [{ name: 'idempotencyKey' }],
  jobid: [{ name: 'idempotencyKey' }],
  jobkey: [{ name: 'idempotencyKey' }],
  maxworkers: [{ name: 'concurrency' }],
  workers: [{ name: 'concurrency' }],
  parallelism: [{ name: 'concurrency' }],
  teamsize: [{ name: 'concurrency' }],
};

const normal = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** How many edits still read as a typo of a name this long rather than another word. */
function tolerance(length: number): number {
  return length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * The name in `known` that `given` most likely meant: a known synonym, the same name in another
 * case or with `_`, a close spelling, or a name it begins (`hard` → `hardMs`) or that begins it
 * (`queueName` → `queue`). Undefined when none is close enough to be worth saying.
 */
export function closestName(given: string, known: readonly string[]): Suggestion | undefined {
  const g = normal(given);
  const synonym = SYNONYMS[g]?.find((s) => known.includes(s.name));
  if (synonym) return synonym;
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(g, normal(name));
    if (d <= tolerance(g.length) && (best === undefined || d < best.d)) best = { name, d };
  }
  if (best) return { name: best.name };
  const begun = known.find((name) => {
    const n = normal(name);
    return (g.length >= 3 && n.startsWith(g)) || (n.length >= 4 && g.startsWith(n));
  });
  return begun === undefined ? undefined : { name: begun };
}
