/**
 * A server-sent events parser for fetch() bodies. EventSource cannot POST or send an
 * Authorization header, so the widget reads the stream itself. Follows the WHATWG event-stream
 * rules: lines end in CRLF, LF or CR (a CR at a chunk's end may be the first half of a CRLF);
 * `data` lines join with "\n"; a blank line dispatches; comments (":") are ignored; an event
 * without data is not dispatched; a partial event at end of stream is discarded.
 */

export type SseEvent = { event: string; data: string; id: string | undefined };

export class SseParser {
  private buffer = '';
  private eventType = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastId: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feeds decoded text; dispatches every event completed by it. */
  push(text: string): void {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      let end: number;
      if (cr === -1 && lf === -1) break;
      if (cr === -1) end = lf;
      else if (lf === -1) end = cr;
      else end = Math.min(cr, lf);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        // Wait for the next chunk to learn whether this CR is half of a CRLF.
        if (end === this.buffer.length - 1) break;
        if (this.buffer[end + 1] === '\n') next = end + 2;
      }
      this.processLine(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** Signals end of stream: a lone trailing CR still ends its line; a partial event is dropped. */
  end(): void {
    if (this.buffer.endsWith('\r')) this.processLine(this.buffer.slice(0, -1));
    this.buffer = '';
    this.reset();
  }

  private processLine(line: string): void {
    if (line === '') {
      if (this.hasData) {
        this.onEvent({
          event: this.eventType || 'message',
          data: this.dataLines.join('\n'),
          id: this.lastId,
        });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') {
      this.dataLines.push(value);
      this.hasData = true;
    } else if (field === 'id' && !value.includes('\0')) this.lastId = value;
  }

  private reset(): void {
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
  }
}

/** Reads a fetch() body as an event stream until it ends; resolves when the body is exhausted. */
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void) {
  const parser = new SseParser(onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}
