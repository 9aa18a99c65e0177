/**
 * A small node:http server that plays the other end of the client exactly as a test scripts it
 * (a proxy's error page, a stream cut mid-message), on 127.0.0.1. Every server started in a test
 * is closed, with its connections, after it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ScriptedServer {
  url: string;
  /** Stops listening and drops every connection: later requests are refused. */
  close(): void;
}

const open: ScriptedServer[] = [];
afterEach(() => {
  for (const server of open.splice(0)) server.close();
});

export async function serve(handler: Handler): Promise<ScriptedServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scripted = {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
  open.push(scripted);
  return scripted;
}
