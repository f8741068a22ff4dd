import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Diagnostics only (benchmarks, profiling): with CONFIDANT_SQL_TRACE=<file>, every statement the
 * embedded database runs is appended to that file as `<epoch ms>\t<µs in the engine>\t<SQL>` —
 * the SQL text only, never the parameters (they may hold personal data). The engine time is
 * what the statement's protocol messages spent in PGlite's WASM; the JS parsing of its results
 * is not in it. bench/chat-bench/profile.ts reads it to count statements per request.
 *
 * Hooks the lowest protocol entry point, so every caller is seen (Drizzle, pg-boss, raw SQL).
 */
export function traceStatementsTo(client: PGlite, file: string): void {
  const fd = openSync(file, 'a');
  let buffer = '';
  const flush = () => {
    if (buffer) writeSync(fd, buffer);
    buffer = '';
  };
  process.on('exit', () => {
    flush();
    closeSync(fd);
  });
  const target = client as unknown as { execProtocolRawSync(message: Uint8Array): Uint8Array };
  const original = target.execProtocolRawSync.bind(client);
  let pending: string | null = null;
  let pendingUs = 0;
  target.execProtocolRawSync = (message: Uint8Array) => {
    const started = performance.now();
    const result = original(message);
    const us = Math.round((performance.now() - started) * 1000);
    const text = statementText(message);
    if (text !== null) {
      if (pending !== null) buffer += `${Date.now()}\t${pendingUs}\t${pending}\n`;
      pending = text;
      pendingUs = us;
    } else if (pending !== null) pendingUs += us;
    if (buffer.length > 65_536) flush();
    return result;
  };
}

const decoder = new TextDecoder();

/** The SQL of a Parse ('P') or simple Query ('Q') message, one line; null for other messages. */
function statementText(message: Uint8Array): string | null {
  const type = message[0];
  if (type !== 0x50 && type !== 0x51) return null;
  let start = 5;
  if (type === 0x50) start = message.indexOf(0, 5) + 1; // skip the statement name
  const end = message.indexOf(0, start);
  return decoder
    .decode(message.subarray(start, end < 0 ? undefined : end))
    .replace(/\s+/g, ' ')
    .trim();
}
