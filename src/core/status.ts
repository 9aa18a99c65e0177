import { IllegalTransitionError } from './errors.ts';

export const STATUSES = [
  'pending',
  'queued',
  'paused',
  'running',
  'retrying',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
] as const;
export type TaskStatus = (typeof STATUSES)[number];

export const TERMINAL_STATUSES = [
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Statuses a worker may claim from (a `retrying` task once its backoff has passed). */
export const CLAIMABLE_STATUSES = ['queued', 'retrying'] as const;

/**
 * The one transition table. Every write of a status goes through `assertTransition`, in the store
 * adapters as well, and `docs/reference/state-machine.md` draws this same table (a test compares
 * them). Keys are "from", values the statuses it may go to.
 */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  // Waits on pipeline dependencies; fails or is cancelled when one of them does.
  pending: ['queued', 'cancelled', 'failed'],
  queued: ['running', 'paused', 'cancelled'],
  paused: ['queued', 'cancelled'],
  // `queued` from running: given back at shutdown or recovered after its worker died.
  // `skipped`: a pipeline step whose `when` said no. `pending`: a pipeline map step that has
  // fanned out into its items and waits for them.
  running: [
    'completed',
    'failed',
    'timed_out',
    'cancelled',
    'retrying',
    'queued',
    'skipped',
    'pending',
  ],
  // `paused`: an operator holds it; resumed, it is queued with its backoff's run-at kept.
  retrying: ['running', 'cancelled', 'paused'],
  completed: [],
  // A manual retry starts a new attempt series; `pending`: a pipeline run resumed.
  failed: ['queued', 'pending'],
  timed_out: ['queued', 'pending'],
  cancelled: ['queued', 'pending'],
  skipped: [],
};

/** Statuses a new task may start in. */
export const INITIAL_STATUSES: readonly TaskStatus[] = ['pending', 'queued', 'paused'];

export function isStatus(value: string): value is TaskStatus {
  return (STATUSES as readonly string[]).includes(value);
}

export function isTerminal(status: TaskStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(
  from: TaskStatus,
  to: TaskStatus,
  details: Record<string, unknown> = {},
): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, details);
}

/** A person may run a task again (a new attempt series) once it ended without completing. */
export const RETRYABLE_STATUSES = [
  'failed',
  'timed_out',
  'cancelled',
] as const satisfies readonly TaskStatus[];

/** A task's priority (and its input, run-at, queue and name: `update`) may change while it
 * waits. */
export const PRIORITY_CHANGE_STATUSES: readonly TaskStatus[] = [
  'pending',
  'queued',
  'retrying',
  'paused',
];

/** The statuses an operator may set on a task (`PUT /tasks/{id}/status`, `pause`, `resume`,
 * `cancel`); every other status is reached by the work itself. */
export const OPERATOR_STATUSES = ['paused', 'queued', 'cancelled'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** Pause holds a task that waits to be claimed; resume (`queued`) only lets a paused one go. */
const OPERATOR_FROM: Readonly<Record<OperatorStatus, readonly TaskStatus[]>> = {
  paused: ['queued', 'retrying'],
  queued: ['paused'],
  // A running task is asked to stop (its worker ends it); the others end at once.
  cancelled: ['pending', 'queued', 'paused', 'retrying', 'running'],
};

/** What an operator may set a task in `from` to, in OPERATOR_STATUSES order. */
export function operatorTargets(from: TaskStatus): OperatorStatus[] {
  return OPERATOR_STATUSES.filter((to) => OPERATOR_FROM[to].includes(from));
}
