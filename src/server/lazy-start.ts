import type { Taskmill } from '../mill/types.ts';
import type { RunningServer, ServeOptions } from './serve.ts';

/**
 * Start the HTTP API for `mill`. The server (Fastify and its plugins) loads on this first call,
 * so a program that imports taskmill and never serves, or a thread or process of an executor
 * pool, does not pay for it.
 */
export async function startServer(
  mill: Taskmill,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const { startServer: start } = await import('./serve.ts');
  return start(mill, options);
}
