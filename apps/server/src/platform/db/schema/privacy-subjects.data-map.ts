import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');

/** Data subjects (verified visitor identities), identity secrets and data-subject requests. */
export const privacySubjectsDataMap: DataMap = {
  agent_identity_secrets: {
    purpose: 'The secret a site signs its user ids with, so a visitor cannot claim another identity',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      agent_id: col('system.identifier', 'org_lifetime', 'keep'),
      secret_ciphertext: col('org.credential.secret', 'org_lifetime', 'keep', { encrypted: true }),
      created_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  visitor_identities: {
    purpose: 'Who a visitor is, as the host site told us (verified with the identity secret)',
    subject: 'visitor',
    // Purged with its conversation (retention), like the conversation's other rows.
    expiry: { conversation: 'conversation_id' },
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'transcripts', 'delete_row'),
      conversation_id: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      user_id_hash: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      email_hash: col('user.contact.email', 'transcripts', 'delete_row', { subject: true }),
      user_id_ciphertext: col('user.identifier', 'transcripts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      email_ciphertext: col('user.contact.email', 'transcripts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      name_ciphertext: col('user.contact.name', 'transcripts', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      verified_at: col('system.operations', 'transcripts', 'delete_row'),
    },
  },
  privacy_requests: {
    purpose: 'Data-subject requests (export, erasure) and their receipts; never the identifier itself',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'audit', 'keep'),
      type: col('system.operations', 'audit', 'keep'),
      subject_kind: col('system.operations', 'audit', 'keep'),
      // A keyed hash: finds the subject's data while the job runs, reveals nothing by itself.
      subject_hash: col('system.identifier', 'audit', 'keep'),
      // e.g. "j•••@example.com": enough for an admin to tell requests apart, not to contact anyone.
      subject_masked: col('system.identifier', 'audit', 'keep'),
      // The identifier itself, sealed, only while the request runs: shredded (nulled) when it ends.
      subject_ciphertext: col('user.identifier', 'until_expiry', 'crypto_shred', {
        subject: true,
        encrypted: true,
      }),
      conversation_ids: col('system.identifier', 'until_expiry', 'null'),
      note: col('org.config', 'audit', 'keep'),
      status: col('system.operations', 'audit', 'keep'),
      progress: col('system.operations', 'audit', 'keep'),
      counts: col('system.operations', 'audit', 'keep'),
      error_code: col('system.operations', 'audit', 'keep'),
      requested_by_type: col('system.audit', 'audit', 'keep'),
      requested_by_id: col('system.audit', 'audit', 'keep'),
      created_at: col('system.operations', 'audit', 'keep'),
      due_at: col('system.operations', 'audit', 'keep'),
      completed_at: col('system.operations', 'audit', 'keep'),
      export_blob_hash: col('system.operations', 'until_expiry', 'null'),
      // The key of the encrypted export: nulled at expiry or erasure, which shreds the file.
      export_key_ciphertext: col('user.credential.secret', 'until_expiry', 'crypto_shred', {
        encrypted: true,
      }),
      export_expires_at: col('system.operations', 'until_expiry', 'keep'),
    },
  },
};
