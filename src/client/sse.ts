/**
 * A Server-Sent Events parser (the `text/event-stream` format of the HTML standard): text goes in
 * as it arrives, in chunks cut anywhere, and whole messages come out. Only what this API sends
 * is kept: `id`, `event`, `data` (several lines join with "\n") and `retry`; comment lines (the
 * server's keep-alives) are skipped.
 */

export interface SseMessage {
  /** The `id` field of this message, or null when it had none. */
  id: string | null;
  /** `message` when the message named no event. */
  event: string;
  data: string;
}

export class SseParser {
  /** The reconnection delay the server asked for with `retry:`, once it has. */
  retryMs: number | null = null;
  private buffer = '';
  /** A chunk ended in "\r": a "\n" opening the next one belongs to the same line end. */
  private skipLf = false;
  private id: string | null = null;
  private event = '';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) this.skipLf = true;
        else if (this.buffer[end + 1] === '\n') next = end + 2;
      }
      this.buffer = this.buffer.slice(next);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  private dispatch(): SseMessage | null {
    const message: SseMessage | null =
      this.data.length === 0
        ? null
        : { id: this.id, event: this.event || 'message', data: this.data.join('\n') };
    this.id = null;
    this.event = '';
    this.data = [];
    return message;
  }
}
