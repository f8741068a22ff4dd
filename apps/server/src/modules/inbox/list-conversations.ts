import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';
import type { ConversationStatus, HandoffReason } from '../../platform/db/schema/index.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/http/time-cursor.js';
import type { EphemeralTranscripts } from '../conversations/ephemeral-transcripts.js';

/**
 * The inbox list: an org's conversations, newest activity first, in views operators work from.
 *
 * Views: `all` (every conversation not closed), `mine` (assigned to the caller), `unassigned`
 * (a person was asked for or owns it, and nobody is assigned), `waiting`, `ai`, `human`,
 * `closed`. `q` searches (see searchFilter; notes included: operators search their own notes
 * too). Pages are keyed by (activity, id), so a page never repeats or
 * skips a row when new conversations arrive meanwhile.
 */
export const inboxViews = ['all', 'mine', 'unassigned', 'waiting', 'ai', 'human', 'closed'] as const;
export type InboxView = (typeof inboxViews)[number];

export type ConversationListItem = {
  id: string;
  agentId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  handoffReason: HandoffReason | null;
  createdAt: string;
  lastMessageAt: string;
  ephemeral: boolean;
  /**
   * The latest message the visitor could see (no notes, no system lines), shortened. For an
   * ephemeral conversation, from this process's memory while held, else ''.
   */
  preview: string;
  /** Visitor messages the caller has not read (0 for API keys, which read nothing). */
  unread: number;
  /** The visitor's satisfaction score (1–5), null until rated. */
  rating: number | null;
};

export type ListQuery = {
  view: InboxView;
  q?: string;
  agentId?: string;
  cursor?: string;
  limit: number;
};

const PREVIEW_CHARS = 140;

function viewFilter(view: InboxView, userId: string | null) {
  switch (view) {
    case 'all':
      return sql`c.status <> 'closed'`;
    case 'mine':
      return userId ? sql`c.status <> 'closed' and c.assignee_id = ${userId}` : sql`false`;
    case 'unassigned':
      return sql`c.status in ('waiting', 'human') and c.assignee_id is null`;
    default:
      return sql`c.status = ${view}`;
  }
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * What `q` finds: a conversation whose messages contain the text, whose email address left with
 * consent (and not withdrawn) contains it, or whose id starts with it ("Visitor 3F2A" as the
 * console labels it, or a pasted id).
 */
function searchFilter(q: string) {
  const pattern = likePattern(q);
  const idPrefix = q
    .replace(/^visitor\s+/i, '')
    .trim()
    .toLowerCase();
  return sql`and (exists (select 1 from messages m where m.org_id = c.org_id
                    and m.conversation_id = c.id and m.content ilike ${pattern})
               or exists (select 1 from visitor_contacts vc where vc.org_id = c.org_id
                    and vc.conversation_id = c.id and vc.withdrawn_at is null and vc.email ilike ${pattern})
               ${/^[0-9a-f-]{4,36}$/.test(idPrefix) ? sql`or c.id::text like ${`${idPrefix}%`}` : sql``})`;
}

export async function listConversations(
  tx: Tx,
  transcripts: EphemeralTranscripts,
  orgId: string,
  userId: string | null,
  query: ListQuery,
): Promise<{ conversations: ConversationListItem[]; nextCursor: string | null }> {
  const cursor = query.cursor ? decodeTimeCursor(query.cursor) : null;
  const activity = sql`coalesce(c.last_message_at, c.created_at)`;
  const rows = await queryRows<{
    id: string;
    agent_id: string;
    status: ConversationStatus;
    assignee_id: string | null;
    assignee_name: string | null;
    handoff_reason: HandoffReason | null;
    created_at: Date | string;
    activity: Date | string;
    ephemeral: boolean;
    preview: string | null;
    preview_id: string | null;
    unread: number;
    rating: number | null;
  }>(
    tx,
    sql`select c.id, c.agent_id, c.status, c.assignee_id, u.name as assignee_name, c.handoff_reason,
               c.created_at, ${activity} as activity, c.ephemeral, p.preview, p.id as preview_id,
               ${
                 userId
                   ? sql`(select count(*)::int from messages m
                           where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'visitor'
                             and m.created_at > coalesce((select r.read_at from conversation_reads r
                               where r.org_id = c.org_id and r.conversation_id = c.id and r.user_id = ${userId}),
                               '-infinity'))`
                   : sql`0`
               } as unread,
               (select cr.score from conversation_ratings cr
                 where cr.org_id = c.org_id and cr.conversation_id = c.id) as rating
          from conversations c
          left join users u on u.id = c.assignee_id
          left join lateral (select left(m.content, ${PREVIEW_CHARS}) as preview, m.id from messages m
                 where m.org_id = c.org_id and m.conversation_id = c.id and not m.internal
                   and m.role <> 'system'
                 order by m.created_at desc, m.id desc limit 1) p on true
         where c.org_id = ${orgId}
           and ${viewFilter(query.view, userId)}
           ${query.agentId ? sql`and c.agent_id = ${query.agentId}` : sql``}
           ${query.q ? searchFilter(query.q) : sql``}
           ${cursor ? sql`and (${activity}, c.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``}
         order by ${activity} desc, c.id desc
         limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const iso = (v: Date | string) => new Date(v).toISOString();
  const last = page.at(-1);
  return {
    conversations: page.map((r) => ({
      id: r.id,
      agentId: r.agent_id,
      status: r.status,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_id ? r.assignee_name : null,
      handoffReason: r.handoff_reason,
      createdAt: iso(r.created_at),
      lastMessageAt: iso(r.activity),
      ephemeral: r.ephemeral,
      preview: r.ephemeral
        ? r.preview_id
          ? (transcripts.get(orgId, r.id, r.preview_id)?.text.slice(0, PREVIEW_CHARS) ?? '')
          : ''
        : (r.preview ?? ''),
      unread: r.unread,
      rating: r.rating,
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeTimeCursor({ at: iso(last.activity), id: last.id }) : null,
  };
}

/** How many conversations each view holds now (the inbox's live counts). */
export async function countViews(
  tx: Tx,
  orgId: string,
  userId: string | null,
): Promise<Record<InboxView, number>> {
  const [row] = await queryRows<Record<InboxView, number>>(
    tx,
    sql`select count(*) filter (where status <> 'closed')::int as "all",
               count(*) filter (where status <> 'closed' and assignee_id = ${userId ?? null}::uuid)::int as mine,
               count(*) filter (where status in ('waiting', 'human') and assignee_id is null)::int as unassigned,
               count(*) filter (where status = 'waiting')::int as waiting,
               count(*) filter (where status = 'ai')::int as ai,
               count(*) filter (where status = 'human')::int as human,
               count(*) filter (where status = 'closed')::int as closed
          from conversations where org_id = ${orgId}`,
  );
  return row!;
}
