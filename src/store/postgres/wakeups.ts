/**
 * Cross-process wake-ups through LISTEN/NOTIFY. The adapter's own statements NOTIFY the channel
 * `<schema>_wakeup` inside the transaction that makes work ready (a submit due now, a release, a
 * due retry, a queue resumed), so the signal goes out at commit and a rollback wakes nobody.
 *
 * Modes: idle (no listener: no connection); connecting; listening on a dedicated client, not a
 * pooled one (a LISTEN belongs to its session, and a pooled client is handed to other work);
 * waiting to reconnect after the connection dropped, with a capped exponential backoff. Each
 * time LISTEN takes effect (the first time and after every reconnect) every listener is called
 * once, because NOTIFYs sent while nobody listened are lost.
 */
import pg from 'pg';
import { clientConfig, type PgTarget } from './connection.ts';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export function wakeupChannel(schema: string): string {
  return `${schema}_wakeup`;
}

export class WakeupListener {
  private readonly target: PgTarget;
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(target: PgTarget) {
    this.target = target;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.client === null && this.timer === null && !this.stopped) void this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.disconnect();
    };
  }

  /** Ends the connection for good (the store is closing). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    await this.disconnect();
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still hear the wake-up.
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(clientConfig(this.target));
    this.client = client;
    const lost = () => this.dropped(client);
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.notify());
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(wakeupChannel(this.target.schema))}`);
    } catch {
      lost();
      return;
    }
    if (this.client !== client) return;
    this.failures = 0;
    this.notify();
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners();
    // The socket may already be gone; ending it again only tidies up.
    client.on('error', () => {});
    client.end().catch(() => {});
    if (this.stopped || this.listeners.size === 0) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && this.listeners.size > 0) void this.connect();
    }, delay);
    // A pending reconnect must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private async disconnect(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (client === null) return;
    client.removeAllListeners();
    client.on('error', () => {});
    await client.end().catch(() => {});
  }
}
