import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The module file of the code that called `fn`, as a `file:` URL, read from a V8 stack frame.
 * Thread and process executors import this file inside their pool to find the handler again,
 * since code cannot be sent across. Undefined when the caller is not a file (a REPL, `eval`).
 */
export function callerModule(fn: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: unknown } = {};
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let frames: NodeJS.CallSite[] | undefined;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.captureStackTrace(holder, fn);
    // The stack is formatted when first read, so it is read before the formatter goes back.
    frames = holder.stack as NodeJS.CallSite[] | undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  const file = Array.isArray(frames) ? frames[0]?.getFileName() : undefined;
  if (!file) return undefined;
  if (file.startsWith('file://')) return file;
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return undefined;
}
