/** Asks for an access token when the server has them; the token is kept for this tab only. */
import { type FormEvent, useState } from 'react';
import { ErrorNote } from './components/error-note.tsx';

interface Props {
  /** Resolves when the token works; throws the server's refusal when it does not. */
  onToken(token: string): Promise<void>;
  refusal: unknown;
}

export function Login({ onToken, refusal }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onToken(token.trim());
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" data-testid="login">
      <form onSubmit={(e) => void submit(e)} className="card">
        <h1>taskmill</h1>
        <p>This server needs an access token. It is kept for this browser tab only.</p>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          minLength={16}
        />
        <ErrorNote error={error ?? refusal} />
        <button type="submit" className="button primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
