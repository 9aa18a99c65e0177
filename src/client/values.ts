/**
 * The value lists a program speaking to the API offers in its controls: every status, every
 * priority, the ended ones, and what a bulk retry or cancel may reach. The server's own lists, so a client
 * never names a value the API refuses.
 */
export { CANCELLABLE_STATUSES, WAITING_STATUSES } from '../core/bulk-filter.ts';
export { PRIORITIES } from '../core/priority.ts';
export { RETRYABLE_STATUSES, STATUSES, TERMINAL_STATUSES } from '../core/status.ts';
