import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The bench's client side: streamed requests timed to their first token and their end, an
 * open-loop driver (requests go out on schedule whether or not earlier ones finished, so a slow
 * server shows as latency, not as a lower rate), and a closed-loop request-rate meter.
 *
 * One kept-alive agent for everything: connection set-up is not what is measured.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A streamed answer not finished after this long counts as an error (10× the sustained bound). */
export const STREAM_TIMEOUT_MS = 10_000;

export type StreamTiming = { ok: boolean; firstTokenMs: number; totalMs: number; status: number };

/**
 * Sends one request whose answer is a server-sent event stream and times the first `marker`
 * (e.g. `event: token`) and the end of the response. `ok` means HTTP 200, the marker arrived and
 * `failMarker` (e.g. `event: error`) did not.
 */
export function timedStream(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    marker: string;
    failMarker?: string;
  },
): Promise<StreamTiming> {
  const start = performance.now();
  return new Promise((resolve) => {
    let first = Number.NaN;
    let text = '';
    const req = request(url, { agent, method: options.method ?? 'POST', headers: options.headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (Number.isNaN(first)) {
          text += chunk;
          if (text.includes(options.marker)) first = performance.now() - start;
        } else if (options.failMarker) text += chunk;
      });
      res.on('end', () => {
        const failed = options.failMarker ? text.includes(options.failMarker) : false;
        resolve({
          ok: res.statusCode === 200 && !Number.isNaN(first) && !failed,
          firstTokenMs: first,
          totalMs: performance.now() - start,
          status: res.statusCode ?? 0,
        });
      });
      res.on('error', () => resolve({ ok: false, firstTokenMs: first, totalMs: Number.NaN, status: 0 }));
      // Destroyed mid-body (timeout): no 'end'. After a normal end this changes nothing.
      res.on('close', () => resolve({ ok: false, firstTokenMs: first, totalMs: Number.NaN, status: 0 }));
    });
    req.on('error', () => resolve({ ok: false, firstTokenMs: Number.NaN, totalMs: Number.NaN, status: 0 }));
    // A collapsed server must not make a step unbounded: past this, the request is an error.
    req.setTimeout(STREAM_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.end(options.body);
  });
}

/** A plain request; resolves with the status once the body was read (0 on a network error). */
export function simpleRequest(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

export type OpenLoopResult = {
  scheduled: number;
  completed: number;
  errors: number;
  /** Due while `maxInFlight` requests were pending: not sent (a stalled server bounds the run). */
  skipped: number;
  firstTokenMs: number[];
  totalMs: number[];
};

export async function openLoop(
  rate: number,
  seconds: number,
  maxInFlight: number,
  task: (k: number) => Promise<StreamTiming>,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const pending = new Set<Promise<void>>();
  const out: OpenLoopResult = {
    scheduled: total,
    completed: 0,
    errors: 0,
    skipped: 0,
    firstTokenMs: [],
    totalMs: [],
  };
  const start = performance.now();
  for (let k = 0; k < total; k++) {
    const wait = start + k * interval - performance.now();
    if (wait > 0) await sleep(wait);
    if (pending.size >= maxInFlight) {
      out.skipped++;
      continue;
    }
    const p = task(k)
      .then((t) => {
        if (!t.ok) return void out.errors++;
        out.completed++;
        out.firstTokenMs.push(t.firstTokenMs);
        out.totalMs.push(t.totalMs);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  return out;
}

/** Closed loop: `concurrency` callers each send the next request when the last one ended. */
export async function requestRate(
  url: string,
  headers: Record<string, string>,
  options: { concurrency: number; seconds: number },
): Promise<{ requestsPerSecond: number; requests: number; errors: number }> {
  const stopAt = performance.now() + options.seconds * 1000;
  let requests = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < stopAt) {
        const status = await simpleRequest(url, headers);
        if (status === 200) requests++;
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { requestsPerSecond: Math.round(requests / elapsed), requests, errors };
}
