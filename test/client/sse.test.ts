import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from '../../src/client/sse.ts';

function parse(...chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages = chunks.flatMap((chunk) => parser.push(chunk));
  return { messages, parser };
}

describe('the SSE parser', () => {
  it('reads id, event and data, skipping comments', () => {
    const { messages } = parse(': hello\n\nid: 7\nevent: task.log\ndata: {"a":1}\n\n');
    expect(messages).toEqual([{ id: '7', event: 'task.log', data: '{"a":1}' }]);
  });

  it('gives the same messages however the text is cut', () => {
    const text =
      'retry: 10\r\n\r\nid: 1\r\nevent: a\r\ndata: x\r\n\r\nid: 2\rdata: y\r\rdata:z\n\n';
    const whole = parse(text).messages;
    expect(whole).toEqual([
      { id: '1', event: 'a', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
      { id: null, event: 'message', data: 'z' },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse(text.slice(0, cut), text.slice(cut)).messages, `cut at ${cut}`).toEqual(whole);
    }
    expect(parse(...text.split('')).messages).toEqual(whole);
  });

  it('joins data lines, ignores a block without data, and keeps retry', () => {
    const { messages, parser } = parse('event: x\n\ndata: one\ndata:two\ndata\n\nretry: 2000\n');
    expect(messages).toEqual([{ id: null, event: 'message', data: 'one\ntwo\n' }]);
    expect(parser.retryMs).toBe(2000);
  });

  it('holds a message until its blank line comes', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });
});
