import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LatencySummary, latencySummary } from '../retrieval-bench/stats.js';
import { inBatches, openVisitorStream, type StreamEvent, type VisitorStream } from './visitor-streams.js';

/**
 * One measurement: N visitors listen (on `visitorUrl`), an operator replies (on `operatorUrl`) at
 * a fixed rate spread round-robin over the conversations, and each reply's delivery latency is
 * taken from just before its POST to the moment its `message` event reaches its visitor's stream.
 *
 * Open loop: replies go out on schedule whether or not earlier ones were answered (a slow server
 * shows as latency, not as a lower send rate); at most `maxInFlight` POSTs are outstanding, and a
 * reply due while that many are pending is counted as `skipped`, not sent, so a stalled server
 * cannot make the run unbounded.
 */
export type Conversation = { id: string; token: string };

export type MeasureOptions = {
  visitorUrl: string;
  operatorUrl: string;
  apiKey: string;
  conversations: readonly Conversation[];
  rate: number;
  seconds: number;
  graceSeconds: number;
  maxInFlight: number;
  /** CPU seconds used so far per process (cpu.ts); the result reports what the reply phase used. */
  cpuSeconds?: () => Record<string, number>;
};

export type DeliveryResult = {
  repliesScheduled: number;
  repliesSent: number;
  repliesAccepted: number;
  repliesFailed: number;
  skipped: number;
  received: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  streamsDropped: number;
  deliveryLatency: LatencySummary;
  postLatency: LatencySummary;
  /**
   * Event arrival minus the POST's response, per reply: what delivery adds to the write (the
   * commit → NOTIFY → bus read → stream path, seen from the client); negative when the event
   * arrived before the response.
   */
  eventAfterResponse: LatencySummary;
  clientEventLoopDelayP99Ms: number;
  /** CPU seconds per process during the reply phase (grace included), over its wall seconds. */
  cpuDuringReplies: { wallSeconds: number; seconds: Record<string, number> } | null;
};

type Reply = {
  conversation: number;
  sentAt: number;
  respondedAt: number | null;
  accepted: boolean;
  receivedAt: number | null;
};

const PREFIX = 'bench:';
const WARM_UP = 'warm-up';

export async function measureDelivery(options: MeasureOptions): Promise<DeliveryResult> {
  const n = options.conversations.length;
  const replies = new Map<number, Reply>();
  const warmedUp = new Set<number>();
  const lastSeq = new Array<number>(n).fill(0);
  let duplicates = 0;
  let outOfOrder = 0;
  let streamsDropped = 0;
  let measuring = true;

  const onEvent = (index: number) => (e: StreamEvent) => {
    const at = performance.now();
    if (e.id !== null) {
      if (e.id <= lastSeq[index]!) outOfOrder++;
      lastSeq[index] = e.id;
    }
    if (e.event !== 'message') return;
    const m = JSON.parse(e.data) as { role: string; text: string };
    if (m.role !== 'operator') return;
    if (m.text === WARM_UP) return void warmedUp.add(index);
    if (!m.text.startsWith(PREFIX)) return;
    const reply = replies.get(Number(m.text.slice(PREFIX.length)));
    // A reply for another conversation here would be a leak: count it as a duplicate, never a hit.
    if (!reply || reply.conversation !== index || reply.receivedAt !== null) duplicates++;
    else reply.receivedAt = at;
  };

  const streams: VisitorStream[] = [];
  await inBatches(
    options.conversations.map((c, i) => [c, i] as const),
    50,
    async ([c, i]) => {
      streams.push(
        await openVisitorStream(options.visitorUrl, c.id, c.token, {
          onEvent: onEvent(i),
          onEnd: () => {
            if (measuring) streamsDropped++;
          },
        }),
      );
    },
  );

  const post = (conversation: number, text: string) =>
    fetch(`${options.operatorUrl}/v1/conversations/${options.conversations[conversation]!.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    }).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });

  try {
    // Warm-up (unmeasured): the first reply takes each conversation over (a heavier transaction:
    // ownership change, audit, system line); measured replies are the steady state after it.
    await inBatches([...options.conversations.keys()], 8, async (i) => {
      const status = await post(i, WARM_UP);
      if (status !== 201) throw new Error(`warm-up reply: HTTP ${status}`);
    });
    await waitUntil(() => warmedUp.size === n, 30_000);
    if (warmedUp.size !== n) throw new Error(`warm-up: only ${warmedUp.size} of ${n} visitors got the reply`);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const postTimes: number[] = [];
    const pending = new Set<Promise<void>>();
    const total = Math.round(options.rate * options.seconds);
    const interval = 1000 / options.rate;
    const cpuBefore = options.cpuSeconds?.();
    const start = performance.now();
    let skipped = 0;
    let failed = 0;
    for (let k = 0; k < total; k++) {
      const due = start + k * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (pending.size >= options.maxInFlight) {
        skipped++;
        continue;
      }
      const reply: Reply = {
        conversation: k % n,
        sentAt: performance.now(),
        respondedAt: null,
        accepted: false,
        receivedAt: null,
      };
      replies.set(k, reply);
      const p = post(reply.conversation, `${PREFIX}${k}`)
        .then((status) => {
          reply.respondedAt = performance.now();
          postTimes.push(reply.respondedAt - reply.sentAt);
          if (status === 201) reply.accepted = true;
          else failed++;
        })
        .catch(() => {
          failed++;
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    await Promise.all(pending);
    const accepted = [...replies.values()].filter((r) => r.accepted);
    await waitUntil(() => accepted.every((r) => r.receivedAt !== null), options.graceSeconds * 1000);
    loopDelay.disable();
    measuring = false;
    const cpuAfter = options.cpuSeconds?.();
    const wallSeconds = (performance.now() - start) / 1000;

    const delivered = accepted.filter((r) => r.receivedAt !== null);
    return {
      repliesScheduled: total,
      repliesSent: replies.size,
      repliesAccepted: accepted.length,
      repliesFailed: failed,
      skipped,
      received: delivered.length,
      lost: accepted.length - delivered.length,
      duplicates,
      outOfOrder,
      streamsDropped,
      deliveryLatency: latencySummary(delivered.map((r) => r.receivedAt! - r.sentAt)),
      postLatency: latencySummary(postTimes),
      eventAfterResponse: latencySummary(delivered.map((r) => r.receivedAt! - r.respondedAt!)),
      clientEventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      cpuDuringReplies:
        cpuBefore && cpuAfter
          ? {
              wallSeconds: round(wallSeconds),
              seconds: Object.fromEntries(
                Object.entries(cpuAfter).map(([name, s]) => [name, round(s - (cpuBefore[name] ?? 0))]),
              ),
            }
          : null,
    };
  } finally {
    measuring = false;
    for (const s of streams) s.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Polls `done` every 20 ms until it holds or `ms` elapse (only bounds a wait; never a result). */
async function waitUntil(done: () => boolean, ms: number) {
  const deadline = performance.now() + ms;
  while (!done() && performance.now() < deadline) await sleep(20);
}
