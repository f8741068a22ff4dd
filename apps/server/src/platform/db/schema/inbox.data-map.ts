import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');

/** The operator side: events outbox, canned responses, read positions, presence. */
export const inboxDataMap: DataMap = {
  events: {
    purpose: 'Live delivery of conversation changes to operators and visitors (outbox, kept briefly)',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      seq: col('system.operations', 'transcripts', 'keep'),
      conversation_id: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      type: col('system.operations', 'transcripts', 'keep'),
      // A message event carries the text the visitor may see, so it is chat content.
      payload: col('user.content.chat', 'transcripts', 'delete_row', { subject: true }),
      created_at: col('system.operations', 'transcripts', 'keep'),
    },
    // Goes with its conversation; an event of no conversation by its age (also pruned after a day).
    expiry: { age: ['created_at'], conversation: 'conversation_id' },
  },
  canned_responses: {
    purpose: 'Saved replies operators insert by shortcut',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      shortcut: col('org.config', 'org_lifetime', 'keep'),
      text: col('org.config', 'org_lifetime', 'keep'),
      created_by_id: col('user.identifier', 'org_lifetime', 'null', { subject: true }),
      created_at: col('system.operations', 'org_lifetime', 'keep'),
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  conversation_reads: {
    purpose: 'How far each operator has read a conversation (unread counts)',
    subject: 'user',
    columns: {
      org_id: orgRef,
      conversation_id: col('system.identifier', 'transcripts', 'keep'),
      user_id: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      read_at: col('system.operations', 'transcripts', 'keep'),
    },
    expiry: { conversation: 'conversation_id' },
  },
  operator_presence: {
    purpose: 'Whether an operator is available, so the widget can promise a reply honestly',
    subject: 'user',
    columns: {
      org_id: orgRef,
      user_id: col('user.identifier', 'account_lifetime', 'delete_row', { subject: true }),
      last_seen_at: col('user.device', 'account_lifetime', 'delete_row', { subject: true }),
    },
  },
  visitor_contacts: {
    purpose: 'Email addresses visitors left, with consent, so the team can reply by email',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'contacts', 'delete_row'),
      conversation_id: col('user.identifier', 'contacts', 'delete_row', { subject: true }),
      email: col('user.contact.email', 'contacts', 'delete_row', { subject: true }),
      email_hash: col('user.contact.email', 'contacts', 'delete_row', { subject: true }),
      purpose: col('system.operations', 'contacts', 'delete_row'),
      consent_text_hash: col('system.operations', 'contacts', 'delete_row'),
      consented_at: col('system.operations', 'contacts', 'delete_row'),
      withdrawn_at: col('system.operations', 'contacts', 'delete_row'),
    },
    expiry: { age: ['consented_at'], conversation: 'conversation_id' },
  },
};
