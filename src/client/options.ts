/**
 * The options the client's calls take, checked as the library checks its own
 * (src/core/options-check.ts): an unknown key or a value of the wrong type is refused before a
 * request is sent.
 */

import { is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import { LIST_OPTIONS_SPEC } from '../core/task-filter.ts';
import { TASK_OPTIONS_SPEC } from '../core/task-options.ts';
import type { ClientOptions, ClientSubmitItem, EventsOptions, WaitOptions } from './types.ts';

export { CANCEL_MANY_SPEC, RETRY_MANY_SPEC } from '../core/bulk-filter.ts';
export { LOGS_OPTIONS_SPEC, RETRY_OPTIONS_SPEC } from '../core/operations.ts';
export { LIST_OPTIONS_SPEC };

export const CLIENT_OPTIONS_SPEC: OptionSpec = optionSpec<ClientOptions>({
  url: is.string,
  token: is.string,
  timeoutMs: is.ms(1),
});

/** A task's options; a database transaction cannot cross HTTP. */
export const CLIENT_SUBMIT_SPEC: OptionSpec = TASK_OPTIONS_SPEC.with(
  {},
  { client: 'a database transaction cannot cross HTTP; submit with the library to use one' },
);

export const CLIENT_ITEM_SPEC: OptionSpec = optionSpec<ClientSubmitItem<[]>>({
  type: is.string,
  input: is.any,
  options: CLIENT_SUBMIT_SPEC,
});

/** `listAll` walks the pages itself. */
export const LIST_ALL_SPEC: OptionSpec = LIST_OPTIONS_SPEC.without(
  ['cursor', 'page'],
  'listAll walks every page itself; use list to read from a cursor or a numbered page',
);

export const EVENTS_SPEC: OptionSpec = optionSpec<EventsOptions>({
  taskId: is.string,
  type: is.string,
  kinds: is.array,
  lastEventId: is.whole(0),
  signal: is.signal,
  reconnectForMs: is.ms(0),
});

export const CLIENT_WAIT_SPEC: OptionSpec = optionSpec<WaitOptions>({
  timeoutMs: is.ms(0),
  signal: is.signal,
  pollMs: is.ms(1),
});
