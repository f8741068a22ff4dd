import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.js';
import { queryRows } from '../../platform/db/query-rows.js';
import type { ConversationStatus } from '../../platform/db/schema/index.js';
import { notFound } from '../../platform/errors.js';

/**
 * The visitor's other conversations in this org, for the operator's side panel.
 *
 * Visitors are anonymous (the widget keeps no visitor id across conversations), so the only
 * thing that can tie two conversations to one person is an email address the visitor left, with
 * consent, in both. Invariants: nothing is linked without that identifier; consent withdrawn on
 * either side unlinks; only this org's rows are read (org_id filter, and RLS behind it).
 */
export type RelatedConversations = {
  identifiedBy: 'contact_email' | null;
  conversations: {
    id: string;
    status: ConversationStatus;
    createdAt: string;
    lastMessageAt: string;
    preview: string;
  }[];
};

const MAX_RELATED = 20;
const PREVIEW_CHARS = 100;

export async function findRelatedConversations(
  tx: Tx,
  orgId: string,
  conversationId: string,
): Promise<RelatedConversations> {
  const [own] = await queryRows<{ email: string | null }>(
    tx,
    sql`select (select vc.email from visitor_contacts vc
                  where vc.org_id = c.org_id and vc.conversation_id = c.id
                    and vc.purpose = 'reply_by_email' and vc.withdrawn_at is null) as email
          from conversations c where c.org_id = ${orgId} and c.id = ${conversationId}`,
  );
  if (!own) throw notFound('Conversation');
  if (!own.email) return { identifiedBy: null, conversations: [] };
  const rows = await queryRows<{
    id: string;
    status: ConversationStatus;
    created_at: Date | string;
    activity: Date | string;
    preview: string | null;
  }>(
    tx,
    sql`select c.id, c.status, c.created_at, coalesce(c.last_message_at, c.created_at) as activity,
               (select left(m.content, ${PREVIEW_CHARS}) from messages m
                 where m.org_id = c.org_id and m.conversation_id = c.id and m.role = 'visitor'
                 order by m.created_at, m.id limit 1) as preview
          from conversations c
          join visitor_contacts vc on vc.org_id = c.org_id and vc.conversation_id = c.id
         where c.org_id = ${orgId} and c.id <> ${conversationId}
           and vc.purpose = 'reply_by_email' and vc.withdrawn_at is null and vc.email = ${own.email}
         order by c.created_at desc, c.id desc
         limit ${MAX_RELATED}`,
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    identifiedBy: 'contact_email',
    conversations: rows.map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: iso(r.created_at),
      lastMessageAt: iso(r.activity),
      preview: r.preview ?? '',
    })),
  };
}
