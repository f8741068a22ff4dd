import { describe, expect, it } from 'vitest';
import { readEventStream, type SseEvent, SseParser } from './sse.js';

function parseAll(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const events = parseAll(['event: token\ndata: {"text":"Hel"}\n\nevent: token\ndata: {"text":"lo"}\n\n']);
    expect(events.map((e) => [e.event, JSON.parse(e.data).text])).toEqual([
      ['token', 'Hel'],
      ['token', 'lo'],
    ]);
  });

  it('handles every line ending, split anywhere, including a CRLF split across chunks', () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
    const expected = [
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ];
    for (let size = 1; size <= text.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(parseAll(chunks).map((e) => [e.event, e.data])).toEqual(expected);
    }
  });

  it('joins multi-line data, ignores comments and unknown fields, skips events without data', () => {
    const events = parseAll([
      ': keep-alive\n\nevent: x\nretry: 10\nfoo: bar\ndata: line 1\ndata:line 2\n\nevent: empty\n\n',
    ]);
    expect(events).toEqual([{ event: 'x', data: 'line 1\nline 2', id: undefined }]);
  });

  it('drops a partial event at the end of the stream', () => {
    expect(parseAll(['event: token\ndata: {"text":"cut"}'])).toEqual([]);
  });
});

describe('readEventStream', () => {
  it('decodes UTF-8 split across byte chunks', async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"café ✓"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readEventStream(body, (e) => events.push(e));
    expect(events.map((e) => JSON.parse(e.data).text)).toEqual(['café ✓']);
  });
});
