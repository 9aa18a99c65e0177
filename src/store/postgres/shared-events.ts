/**
 * Events that cross processes (`mill.on('task.status')` in one process sees another process's
 * worker), over NOTIFY. Publishing costs a round trip per batch, so it happens only while some
 * process subscribes: subscribers announce themselves on an audience channel every
 * PRESENCE_EVERY_MS, and publishers send only while they heard from one within PRESENCE_TTL_MS.
 * A publisher starts listening for that audience on its first question, so events in the first
 * moments after both sides start may not cross.
 */
import { randomUUID } from 'node:crypto';
import type { SharedEvent } from '../contract.ts';
import type { PgConnection } from './connection.ts';
import type { NotifyHub } from './notify-hub.ts';

const PRESENCE_EVERY_MS = 2_000;
const PRESENCE_TTL_MS = 5_000;
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7_500;

export class SharedEvents {
  private readonly conn: PgConnection;
  private readonly hub: NotifyHub;
  private readonly eventsChannel: string;
  private readonly audienceChannel: string;
  private lastPresence = Number.NEGATIVE_INFINITY;
  private watchingAudience: (() => void) | null = null;
  private subscribers = 0;
  private pinger: NodeJS.Timeout | null = null;
  /** Payloads waiting for the publish in flight to finish. */
  private outbox: string[] = [];
  private sending = false;
  /** Our own announcements come back to us too; they do not make an audience. */
  private readonly self = randomUUID();

  constructor(conn: PgConnection, hub: NotifyHub) {
    this.conn = conn;
    this.hub = hub;
    this.eventsChannel = `${conn.target.schema}_events`;
    this.audienceChannel = `${conn.target.schema}_audience`;
  }

  audience(): boolean {
    this.watchingAudience ??= this.hub.subscribe(this.audienceChannel, {
      onMessage: (from) => {
        if (from !== this.self) this.lastPresence = Date.now();
      },
    });
    return Date.now() - this.lastPresence < PRESENCE_TTL_MS;
  }

  publish(events: SharedEvent[]): void {
    if (events.length === 0) return;
    const payloads: string[] = [];
    let batch: string[] = [];
    let size = 2;
    for (const event of events) {
      const text = JSON.stringify(event);
      if (text.length + 1 > MAX_PAYLOAD) continue; // a huge log line does not cross; the rest do
      if (size + text.length + 1 > MAX_PAYLOAD) {
        payloads.push(`[${batch.join(',')}]`);
        batch = [];
        size = 2;
      }
      batch.push(text);
      size += text.length + 1;
    }
    if (batch.length > 0) payloads.push(`[${batch.join(',')}]`);
    this.outbox.push(...payloads);
    if (!this.sending) void this.send();
  }

  /**
   * One publish at a time, in order: two batches sent on two pooled sessions at once could
   * commit their NOTIFYs the other way round, and a listener would see a task complete before
   * it started. What is emitted meanwhile goes out together in the next statement.
   */
  private async send(): Promise<void> {
    this.sending = true;
    while (this.outbox.length > 0) {
      const payloads = this.outbox.splice(0);
      // Best effort by design: an event that cannot be sent is not worth failing a task for.
      await this.conn
        .session()
        .all('event-publish', [this.eventsChannel, payloads])
        .catch(() => {});
    }
    this.sending = false;
  }

  subscribe(listener: (events: SharedEvent[]) => void): () => void {
    const off = this.hub.subscribe(this.eventsChannel, {
      onMessage: (payload) => {
        let events: unknown;
        try {
          events = JSON.parse(payload);
        } catch {
          return;
        }
        if (Array.isArray(events)) listener(events as SharedEvent[]);
      },
      // Announce at once, and again after a reconnect.
      onListening: () => this.announce(),
    });
    this.subscribers++;
    if (this.pinger === null) {
      this.pinger = setInterval(() => this.announce(), PRESENCE_EVERY_MS);
      this.pinger.unref();
    }
    return () => {
      off();
      this.subscribers--;
      if (this.subscribers === 0 && this.pinger !== null) {
        clearInterval(this.pinger);
        this.pinger = null;
      }
    };
  }

  stop(): void {
    if (this.pinger !== null) clearInterval(this.pinger);
    this.pinger = null;
    this.watchingAudience?.();
    this.watchingAudience = null;
  }

  private announce(): void {
    void this.conn
      .session()
      .all('event-publish', [this.audienceChannel, [this.self]])
      .catch(() => {});
  }
}
