import { type SQL, sql } from 'drizzle-orm';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/client.js';
import { queryRows } from '../../../platform/db/query-rows.js';
import { subjectHash } from '../subjects/subject-hash.js';
import type { Subject } from './subject.js';

/**
 * The conversations whose visitor is the subject, in one org:
 * - email: a consented contact address or a verified identity's email (by keyed hash; also the
 *   clear contact column, for addresses stored before the hash existed), or the address written
 *   by the visitor in their own messages;
 * - phone: the number written by the visitor in their own messages (compared digits only);
 * - email or phone typed into a flow form with consent (captured_values, keyed hash);
 * - userId: a verified identity (keyed hash);
 * - conversationId: that conversation.
 * Only visitor-written text is searched: an operator mentioning an address does not make a
 * conversation someone's.
 */
export async function findSubjectConversations(
  tx: Tx,
  keyring: Keyring,
  orgId: string,
  subject: Subject,
): Promise<string[]> {
  const { kind, value } = subject;
  let query: SQL;
  if (kind === 'conversationId') {
    query = sql`select id from conversations where org_id = ${orgId} and id = ${value}::uuid`;
  } else if (kind === 'userId') {
    const h = subjectHash(keyring, orgId, 'userId', value);
    query = sql`select conversation_id as id from visitor_identities where org_id = ${orgId} and user_id_hash = ${h}`;
  } else if (kind === 'email') {
    const h = subjectHash(keyring, orgId, 'email', value);
    query = sql`
      select conversation_id as id from visitor_contacts
       where org_id = ${orgId} and (email_hash = ${h} or lower(email) = ${value})
      union
      select conversation_id from visitor_identities where org_id = ${orgId} and email_hash = ${h}
      union
      select conversation_id from captured_values where org_id = ${orgId} and value_hash = ${h}
      union
      select conversation_id from messages
       where org_id = ${orgId} and role = 'visitor' and content ~* ${emailPattern(value)}`;
  } else {
    const h = subjectHash(keyring, orgId, 'phone', value);
    query = sql`
      select distinct conversation_id as id from messages
       where org_id = ${orgId} and role = 'visitor' and content ~ ${phonePattern(value)}
      union
      select conversation_id from captured_values where org_id = ${orgId} and value_hash = ${h}`;
  }
  const rows = await queryRows<{ id: string }>(tx, query);
  return [...new Set(rows.map((r) => r.id))].sort();
}

const escapeRegex = (s: string) => s.replace(/[.^$*+?()[\]{}|\\]/g, (c) => `\\${c}`);

/**
 * The address as a whole word: "ann@example.com" matches "mail ann@example.com." but not
 * "joann@example.com" or "ann@example.com.au" — a near miss must never erase someone else.
 */
export const emailPattern = (email: string) =>
  `(^|[^a-z0-9._%+-])${escapeRegex(email)}(?![a-z0-9_-]|\\.[a-z0-9])`;

/**
 * The digits in order, with the separators people type between them ("+1 (555) 010-1234"), not
 * inside a longer number: "5550101234" matches "+1 555 010 1234" but not "15550101234999".
 */
export const phonePattern = (digits: string) =>
  `(^|[^0-9])${digits.split('').join('[\\s().+/-]*')}($|[^0-9])`;
