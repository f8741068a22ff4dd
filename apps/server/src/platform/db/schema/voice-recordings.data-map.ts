import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const ops = col('system.operations', 'recordings', 'delete_row');

/**
 * Kept voice messages (widget voice with recording on and the visitor's consent): the rows
 * follow the `recordings` period (default 90 days) counted from the recording, and go with their
 * conversation; linked to the visitor subject by conversation_id (export lists them, erasure
 * deletes rows and files). The purge and erasure delete the blob file with the row.
 */
export const voiceRecordingsDataMap: DataMap = {
  voice_recordings: {
    purpose:
      'Where a kept voice message’s audio is stored (encrypted blob key), its data key wrapped under the master key, and its size and length',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'recordings', 'delete_row'),
      conversation_id: col('user.identifier', 'recordings', 'delete_row', { subject: true }),
      message_id: col('system.identifier', 'recordings', 'delete_row'),
      blob_key: col('system.identifier', 'recordings', 'delete_row'),
      wrapped_key: col('org.credential.secret', 'recordings', 'crypto_shred', { encrypted: true }),
      key_version: ops,
      media_type: ops,
      byte_size: ops,
      duration_seconds: ops,
      created_at: ops,
    },
    expiry: { age: ['created_at'], conversation: 'conversation_id' },
  },
};
