import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');

/**
 * Flows (agent configuration), consent records and the form values captured under them.
 * Consent records and captured values follow the contact-details retention period (counted from
 * when they were recorded) and go with their conversation; both are exported and erased with the
 * visitor subject (linked by conversation_id).
 */
export const consentDataMap: DataMap = {
  agent_flows: {
    purpose:
      'The steps the widget runs before the chat (messages, buttons, forms), as the business wrote them',
    subject: 'none',
    columns: {
      org_id: orgRef,
      agent_id: col('system.identifier', 'org_lifetime', 'keep'),
      steps: col('org.config', 'org_lifetime', 'keep'),
      version: col('org.config', 'org_lifetime', 'keep'),
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  consent_records: {
    purpose:
      'Evidence of what a visitor agreed to (or declined, or refused by Global Privacy Control) in a form: purpose, notice hash and version, method, time, withdrawal',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'contacts', 'delete_row'),
      conversation_id: col('user.identifier', 'contacts', 'delete_row', { subject: true }),
      agent_id: col('system.identifier', 'contacts', 'delete_row'),
      step_id: col('system.operations', 'contacts', 'delete_row'),
      purpose: col('system.operations', 'contacts', 'delete_row'),
      notice_hash: col('system.operations', 'contacts', 'delete_row'),
      notice_version: col('system.operations', 'contacts', 'delete_row'),
      method: col('system.operations', 'contacts', 'delete_row'),
      outcome: col('system.operations', 'contacts', 'delete_row'),
      recorded_at: col('system.operations', 'contacts', 'delete_row'),
      withdrawn_at: col('system.operations', 'contacts', 'delete_row'),
    },
    expiry: { age: ['recorded_at'], conversation: 'conversation_id' },
  },
  captured_values: {
    purpose: 'What a visitor typed into a form field, kept only with their consent for its purpose',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'contacts', 'delete_row'),
      conversation_id: col('user.identifier', 'contacts', 'delete_row', { subject: true }),
      consent_id: col('system.identifier', 'contacts', 'delete_row'),
      field_key: col('system.operations', 'contacts', 'delete_row'),
      field_kind: col('system.operations', 'contacts', 'delete_row'),
      label: col('system.operations', 'contacts', 'delete_row'),
      purpose: col('system.operations', 'contacts', 'delete_row'),
      value_ciphertext: col('user.content.chat', 'contacts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      value_hash: col('user.identifier', 'contacts', 'delete_row', { subject: true }),
      captured_at: col('system.operations', 'contacts', 'delete_row'),
    },
    expiry: { age: ['captured_at'], conversation: 'conversation_id' },
  },
};
