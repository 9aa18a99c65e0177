/** What went wrong with a request, as the server said it (message and code). */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  // The client throws the server's TaskmillError; its code is what a user can look up.
  const code =
    typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-note" role="alert">
      {code ? <code>{code}</code> : null} {message}
    </div>
  );
}
