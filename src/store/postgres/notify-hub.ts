/**
 * LISTEN/NOTIFY on one dedicated connection, for every channel this process listens to (work
 * wake-ups, shared events, event-audience pings). A LISTEN belongs to its session, so the client
 * is not a pooled one.
 *
 * Modes: idle (no subscriber: no connection); connecting; listening; waiting to reconnect after
 * the connection dropped, with a capped exponential backoff. Each time LISTEN takes effect (the
 * first time and after every reconnect) every subscriber's `onListening` runs once, because
 * NOTIFYs sent while nobody listened are lost.
 */
import pg from 'pg';
import { clientConfig, type PgTarget } from './connection.ts';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

interface Subscriber {
  onMessage(payload: string): void;
  onListening?(): void;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A subscriber's failure is its own; the others still hear the notification.
  }
}

export class NotifyHub {
  private readonly target: PgTarget;
  private readonly channels = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  private listening = false;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(target: PgTarget) {
    this.target = target;
  }

  subscribe(channel: string, subscriber: Subscriber): () => void {
    let set = this.channels.get(channel);
    const isNew = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.channels.set(channel, set);
    }
    set.add(subscriber);
    if (this.client === null && this.timer === null && !this.stopped) void this.connect();
    else if (isNew && this.listening && this.client !== null)
      void this.listen(this.client, [channel], [subscriber]);
    else if (this.listening) safely(() => subscriber.onListening?.());
    return () => {
      set.delete(subscriber);
      if (set.size > 0) return;
      this.channels.delete(channel);
      if (this.channels.size === 0) void this.disconnect();
      else void this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  /** Connected and listening now; false while reconnecting, or with nobody subscribed. */
  get connected(): boolean {
    return this.listening && this.client !== null;
  }

  /** Ends the connection for good (the store is closing). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.channels.clear();
    await this.disconnect();
  }

  private dispatch(channel: string, payload: string): void {
    for (const s of this.channels.get(channel) ?? []) safely(() => s.onMessage(payload));
  }

  private async listen(
    client: pg.Client,
    channels: string[],
    subscribers: Subscriber[],
  ): Promise<void> {
    try {
      for (const channel of channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      this.dropped(client);
      return;
    }
    if (this.client !== client) return;
    for (const s of subscribers) safely(() => s.onListening?.());
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(clientConfig(this.target));
    this.client = client;
    this.listening = false;
    const lost = () => this.dropped(client);
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => this.dispatch(n.channel, n.payload ?? ''));
    try {
      await client.connect();
    } catch {
      lost();
      return;
    }
    if (this.client !== client) return;
    this.failures = 0;
    this.listening = true;
    await this.listen(
      client,
      [...this.channels.keys()],
      [...this.channels.values()].flatMap((s) => [...s]),
    );
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    client.removeAllListeners();
    // The socket may already be gone; ending it again only tidies up.
    client.on('error', () => {});
    client.end().catch(() => {});
    if (this.stopped || this.channels.size === 0) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && this.channels.size > 0) void this.connect();
    }, delay);
    // A pending reconnect must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private async disconnect(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.listening = false;
    if (client === null) return;
    client.removeAllListeners();
    client.on('error', () => {});
    await client.end().catch(() => {});
  }
}
