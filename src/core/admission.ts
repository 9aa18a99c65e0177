/**
 * Claim admission: which of the ready tasks a claim may take. This is the one statement of the
 * rules; each store adapter implements them (SQLite by calling `admit` on the candidates it
 * read, PostgreSQL in its claim statements), and the conformance suite states each rule once
 * and runs it on every adapter.
 *
 * Candidates are the ready tasks (queued, or retrying and due) of the claim's types and queues,
 * in claim order: priority, then run-at time, then id. A claim walks them in that order and
 * takes each that every rule admits, until it has `limit`.
 */
import type { TaskStatus } from './status.ts';

export const ADMISSION_RULES = {
  'paused-queue': 'A task in a paused queue is not taken.',
  'queue-concurrency':
    'A queue with a concurrency limit has at most that many running tasks across every worker: a claim takes no more than the room left.',
  'crashed-not-held':
    'A task a worker died holding (crash count above 0) is taken only for a slot that starts at once (the first `free` of the claim), never held ahead: its next crash is then one it caused.',
} as const;

export type AdmissionRule = keyof typeof ADMISSION_RULES;

export interface QueueAdmission {
  paused: boolean;
  /** Running tasks allowed at once across every worker; null: no limit. */
  concurrency: number | null;
  /** Tasks of the queue running now, across every worker. */
  running: number;
}

export interface AdmissionCandidate {
  id: string;
  queue: string;
  status: TaskStatus;
  crashCount: number;
}

/** Queues a claim skips outright: paused, or already at their limit. */
export function closedQueues(queues: ReadonlyMap<string, QueueAdmission>): string[] {
  const closed: string[] = [];
  for (const [name, q] of queues) {
    if (q.paused || (q.concurrency !== null && q.running >= q.concurrency)) closed.push(name);
  }
  return closed;
}

/**
 * Walk `candidates` (in claim order) and take what the rules admit, up to `limit`; `taken`
 * counts tasks an earlier pass of the same claim took (for the `free` slots), `room` the slots
 * left in each limited queue (updated as tasks are taken). Returns the tasks taken and whether a
 * limited queue filled up on the way (candidates after it may have been passed over).
 */
export function admit(
  candidates: readonly AdmissionCandidate[],
  room: Map<string, number>,
  p: { limit: number; free: number; taken: number },
): { chosen: AdmissionCandidate[]; filledQueue: boolean } {
  const chosen: AdmissionCandidate[] = [];
  let filledQueue = false;
  let position = p.taken;
  for (const c of candidates) {
    if (p.taken + chosen.length >= p.limit) break;
    position++;
    if (c.crashCount > 0 && position > p.free) continue;
    const left = room.get(c.queue);
    if (left !== undefined) {
      if (left <= 0) {
        filledQueue = true;
        continue;
      }
      room.set(c.queue, left - 1);
    }
    chosen.push(c);
  }
  return { chosen, filledQueue };
}
