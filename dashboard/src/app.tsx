/**
 * The page's shell: find out what the token may do (asking for one when the server needs it),
 * then the navigation and the page the address names.
 */
import { Suspense, useCallback, useEffect, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import {
  type Access,
  type Api,
  ApiProvider,
  apiOf,
  type Client,
  newClient,
  useApi,
} from './api.tsx';
import { ErrorNote } from './components/error-note.tsx';
import { LiveProvider, useLive } from './live.tsx';
import { Login } from './login.tsx';
import { ROUTES } from './routes.tsx';
import { storedToken, storeToken } from './session.ts';

const NAV = [
  ['/', 'Overview'],
  ['/tasks', 'Tasks'],
  ['/submit', 'Submit'],
  ['/queues', 'Queues'],
  ['/workers', 'Workers'],
  ['/schedules', 'Schedules'],
  ['/pipelines', 'Pipelines'],
] as const;

function isAuthRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'AUTH_REQUIRED' || code === 'AUTH_INVALID';
}

async function accessWith(token: string | undefined): Promise<{ client: Client; access: Access }> {
  const client = newClient(token);
  return { client, access: await client.access() };
}

export function App() {
  const [api, setApi] = useState<Api | null>(null);
  const [refusal, setRefusal] = useState<unknown>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [asked, setAsked] = useState(false);

  const logout = useCallback(() => {
    storeToken(undefined);
    setApi(null);
    setRefusal(undefined);
  }, []);

  const start = useCallback(
    async (token: string | undefined) => {
      const { client, access } = await accessWith(token);
      storeToken(token);
      setApi(apiOf(client, access, logout));
    },
    [logout],
  );

  useEffect(() => {
    if (api !== null) return;
    start(storedToken()).catch((error: unknown) => {
      if (!isAuthRefusal(error)) return setFailure(error);
      // A kept token the server no longer knows: say so; no token yet: just ask for one.
      setRefusal(storedToken() ? error : undefined);
      storeToken(undefined);
      setAsked(true);
    });
  }, [api, start]);

  if (failure !== undefined && api === null) {
    return (
      <main className="login">
        <div className="card">
          <h1>taskmill</h1>
          <p>The server did not answer as expected.</p>
          <ErrorNote error={failure} />
        </div>
      </main>
    );
  }
  if (api === null) {
    // Nothing until the server has answered: no login flashes past on a server without tokens.
    return asked ? <Login onToken={start} refusal={refusal} /> : null;
  }
  return (
    <ApiProvider api={api}>
      <LiveProvider>
        <Shell />
      </LiveProvider>
    </ApiProvider>
  );
}

function Shell() {
  const [location] = useLocation();
  const { connected } = useLive();
  const { access, logout } = useApi();
  return (
    <div className="shell" data-testid="app-shell">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <nav className="nav" aria-label="Main">
        <span className="brand">taskmill</span>
        <ul>
          {NAV.map(([href, label]) => {
            const current = href === '/' ? location === '/' : location.startsWith(href);
            return (
              <li key={href}>
                <Link href={href} aria-current={current ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="nav-foot">
          <span
            className={`live-dot${connected ? ' on' : ''}`}
            title={connected ? 'Live' : 'Reconnecting'}
          >
            {connected ? 'live' : 'offline'}
          </span>
          <a href="/docs">API</a>
          {access.tokensRequired ? (
            <button type="button" className="link" onClick={logout}>
              Sign out
            </button>
          ) : null}
        </div>
      </nav>
      <main id="main" className="main">
        {/* A page's chunk loads on first visit; until then the main area stays as it is. */}
        <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
          <Switch>
            {ROUTES.map(([path, Component]) => (
              <Route key={path} path={path} component={Component} />
            ))}
            <Route>
              <p>
                Nothing here. <Link href="/">Back to the overview</Link>
              </p>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
