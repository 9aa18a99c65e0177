const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * On SIGINT or SIGTERM run `shutdown` once; then, if nobody else listens for that signal, raise it
 * again so the process ends the way it would have without us. A second signal during the
 * shutdown is left to the default handler: a user who presses Ctrl-C twice means it.
 */
export function onShutdownSignal(shutdown: () => Promise<void>): () => void {
  let handled = false;
  const handler = (signal: NodeJS.Signals) => {
    remove();
    if (handled) return;
    handled = true;
    void shutdown()
      .catch((error: unknown) => process.emitWarning(`taskmill: shutdown failed: ${String(error)}`))
      .finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
  };
  const remove = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  for (const s of SIGNALS) process.once(s, handler);
  return remove;
}
