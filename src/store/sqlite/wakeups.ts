import { type FSWatcher, watch } from 'node:fs';

/**
 * Another process's commit appends to the WAL file, so a watch on that file is a wake-up that
 * crosses processes without polling. It also fires on this process's own commits; a wake-up only
 * makes an idle worker look for work, and a claim that finds nothing writes nothing, so that
 * cannot feed on itself. Best effort: where watching fails, the workers' poll remains.
 */
export class WalWatcher {
  private readonly walPath: string;
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | null = null;

  constructor(databasePath: string) {
    this.walPath = `${databasePath}-wal`;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.watcher) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private start(): void {
    try {
      this.watcher = watch(this.walPath, { persistent: false }, () => {
        for (const listener of this.listeners) listener();
      });
      this.watcher.on('error', () => this.stop());
    } catch {
      this.watcher = null;
    }
  }
}
