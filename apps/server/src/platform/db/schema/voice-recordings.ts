import {
  bigint,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId } from './columns.js';
import { conversations } from './conversations.js';

/**
 * The audio of a widget voice message, kept only when the agent records (`voice.recordAudio`)
 * AND the conversation holds a granted, not withdrawn consent for the purpose `voice_recording`
 * (modules/conversations/voice/recordings.ts decides, on the server). Invariants:
 * - the audio lives only in the blob store, envelope-encrypted per blob
 *   (platform/blobs/encrypted-blob-store.ts); this row is its index and holds the wrapped data
 *   key bound to this row. Every path that deletes rows (withdrawal, erasure, retention purge)
 *   deletes the blob file too; an org hard delete removes the org's files as a whole;
 * - `message_id` is the visitor message the turn became (set once the message is stored).
 */
export const voiceRecordings = pgTable(
  'voice_recordings',
  {
    orgId: orgId(),
    id: id(),
    conversationId: uuid('conversation_id').notNull(),
    messageId: uuid('message_id'),
    blobKey: text('blob_key').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    keyVersion: integer('key_version').notNull(),
    mediaType: text('media_type').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    durationSeconds: doublePrecision('duration_seconds'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.conversationId],
      foreignColumns: [conversations.orgId, conversations.id],
    }).onDelete('cascade'),
    index('voice_recordings_conversation_idx').on(t.orgId, t.conversationId, t.createdAt),
  ],
);

export type VoiceRecordingRow = typeof voiceRecordings.$inferSelect;
