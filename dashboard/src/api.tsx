/**
 * The one client of the page and what the caller's token may do, shared by every page. The
 * dashboard speaks to the server only through the project's typed client, as any program would.
 */
import { createContext, type ReactNode, useContext } from 'react';
import { createClient } from '../../src/client/client.ts';
import type { TaskmillClient } from '../../src/client/types.ts';

export type Client = TaskmillClient;
export type Scope = 'read' | 'write' | 'admin' | 'worker';

export interface Access {
  tokensRequired: boolean;
  scopes: readonly Scope[];
}

export interface Api {
  client: Client;
  access: Access;
  /** Whether the token allows what needs `scope`: the scope itself, or admin (as the server
   * grants them, src/server/auth.ts). */
  can(scope: 'read' | 'write' | 'admin'): boolean;
  logout(): void;
}

export function newClient(token: string | undefined): Client {
  return createClient({ url: window.location.origin, ...(token ? { token } : {}) });
}

export function apiOf(client: Client, access: Access, logout: () => void): Api {
  const has = new Set(access.scopes);
  return { client, access, logout, can: (scope) => has.has(scope) || has.has('admin') };
}

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi outside ApiProvider');
  return api;
}
