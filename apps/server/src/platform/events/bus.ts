import { and, asc, eq, gt, max } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { events } from '../db/schema/index.js';
import { withTenant } from '../db/tenancy.js';
import { type DeliveredEvent, EVENTS_CHANNEL, ORG_STOPPED_EVENT } from './outbox.js';

/**
 * Delivers outbox events (outbox.ts) to subscribers in this process: one design for one process
 * and for many. Every process LISTENs on one channel; a NOTIFY names an org whose events changed;
 * the bus then reads that org's new events once (not once per subscriber) and hands each to the
 * subscribers whose filter accepts it. On PGlite NOTIFY is delivered in-process; on PostgreSQL it
 * reaches every server process on the database.
 *
 * Invariants:
 * - each subscriber receives events in seq order, each at most once, with no gap: events after
 *   its resume point are replayed from the table first, then live ones follow (those arriving
 *   during the replay are buffered and de-duplicated by seq);
 * - an org is read only while someone in this process is subscribed to it.
 *
 * An event is offered only to its conversation's subscribers and to the org-wide ones, so the
 * cost of one event does not grow with the number of other conversations' open streams (a
 * thousand visitors of one org each hold one).
 */
export type EventSubscriber = {
  /** Which of the org's events this subscriber wants (e.g. one conversation, visitor-visible). */
  filter(event: DeliveredEvent): boolean;
  deliver(event: DeliveredEvent): void;
};

export type SubscribeOptions = {
  /** Resume after this seq (the SSE Last-Event-ID); null = live events only, from now. */
  after: number | null;
  /** Only this conversation's events, replayed and live (the filter still decides among them). */
  conversationId?: string;
};

type Subscription = EventSubscriber & { last: number; buffer: DeliveredEvent[] | null };

type OrgFeed = {
  cursor: number;
  /** Subscriptions to every event of the org (operators' streams, answer watchers). */
  orgWide: Set<Subscription>;
  /** Subscriptions to one conversation (visitors' streams), by conversation id. */
  byConversation: Map<string, Set<Subscription>>;
  reading: Promise<void> | null;
  again: boolean;
};

const PAGE = 500;

export class EventBus {
  private readonly feeds = new Map<string, OrgFeed>();
  private stopListening: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: Database,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.stopListening ??= await this.database.listen(
      EVENTS_CHANNEL,
      (orgId) => this.wake(orgId),
      () => {
        for (const orgId of this.feeds.keys()) this.wake(orgId);
      },
    );
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = null;
    this.feeds.clear();
    await stop?.();
  }

  /** Subscribes to an org's events; returns the function that unsubscribes. */
  async subscribe(
    orgId: string,
    options: SubscribeOptions,
    subscriber: EventSubscriber,
  ): Promise<() => void> {
    const feed = this.feeds.get(orgId) ?? (await this.openFeed(orgId));
    const subscription: Subscription = {
      ...subscriber,
      last: options.after ?? feed.cursor,
      buffer: options.after === null ? null : [],
    };
    const conversationId = options.conversationId;
    let bucket = feed.orgWide;
    if (conversationId !== undefined) {
      bucket = feed.byConversation.get(conversationId) ?? new Set();
      feed.byConversation.set(conversationId, bucket);
    }
    bucket.add(subscription);
    const unsubscribe = () => {
      bucket.delete(subscription);
      if (
        conversationId !== undefined &&
        bucket.size === 0 &&
        feed.byConversation.get(conversationId) === bucket
      )
        feed.byConversation.delete(conversationId);
      const empty = feed.orgWide.size === 0 && feed.byConversation.size === 0;
      if (empty && this.feeds.get(orgId) === feed) this.feeds.delete(orgId);
    };
    if (options.after !== null) {
      try {
        await this.replay(orgId, options.after, options.conversationId, subscription);
      } catch (error) {
        unsubscribe();
        throw error;
      }
    }
    return unsubscribe;
  }

  private async openFeed(orgId: string): Promise<OrgFeed> {
    const [row] = await withTenant(this.database, [orgId], (tx) =>
      tx
        .select({ seq: max(events.seq) })
        .from(events)
        .where(eq(events.orgId, orgId)),
    );
    // Another subscriber may have opened it while we read.
    const existing = this.feeds.get(orgId);
    if (existing) return existing;
    const feed: OrgFeed = {
      cursor: row?.seq ?? 0,
      orgWide: new Set(),
      byConversation: new Map(),
      reading: null,
      again: false,
    };
    this.feeds.set(orgId, feed);
    // An event that committed between the read above and now woke no feed: look once.
    this.wake(orgId);
    return feed;
  }

  /** Replays stored events after `after`, then releases what arrived live meanwhile. */
  private async replay(orgId: string, after: number, conversationId: string | undefined, s: Subscription) {
    let from = after;
    for (;;) {
      const page = await this.read(orgId, from, conversationId);
      for (const event of page) offer(s, event, true);
      if (page.length < PAGE) break;
      from = page.at(-1)!.seq;
    }
    const buffered = s.buffer ?? [];
    s.buffer = null;
    for (const event of buffered) offer(s, event, false);
  }

  private wake(orgId: string) {
    const feed = this.feeds.get(orgId);
    if (!feed) return;
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = (async () => {
      do {
        feed.again = false;
        for (;;) {
          const page = await this.read(orgId, feed.cursor);
          for (const event of page) {
            feed.cursor = event.seq;
            for (const s of feed.orgWide) offer(s, event, false);
            const ofConversation = event.conversationId && feed.byConversation.get(event.conversationId);
            if (ofConversation) for (const s of ofConversation) offer(s, event, false);
            // The org stopped (scheduled for deletion): every stream of the org hears it.
            if (event.type === ORG_STOPPED_EVENT)
              for (const bucket of feed.byConversation.values())
                for (const s of bucket) offer(s, event, false);
          }
          if (page.length < PAGE) break;
        }
      } while (feed.again);
    })()
      .catch(this.onError)
      .finally(() => {
        feed.reading = null;
      });
  }

  private async read(orgId: string, after: number, conversationId?: string): Promise<DeliveredEvent[]> {
    const rows = await withTenant(this.database, [orgId], (tx) =>
      tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.orgId, orgId),
            gt(events.seq, after),
            conversationId ? eq(events.conversationId, conversationId) : undefined,
          ),
        )
        .orderBy(asc(events.seq))
        .limit(PAGE),
    );
    return rows;
  }
}

/** Hands an event to a subscription once, in order; live events wait while it replays. */
function offer(s: Subscription, event: DeliveredEvent, fromReplay: boolean) {
  if (s.buffer && !fromReplay) {
    s.buffer.push(event);
    return;
  }
  if (event.seq <= s.last) return;
  s.last = event.seq;
  if (s.filter(event)) s.deliver(event);
}
