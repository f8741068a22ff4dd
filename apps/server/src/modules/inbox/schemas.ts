import { z } from 'zod';
import {
  conversationStatuses,
  handoffReasons,
  messageRoles,
  systemEvents,
} from '../../platform/db/schema/index.js';
import { MODEL_HANDOFF_REASONS } from '../answers/handoff-tool.js';
import { ratingSchema } from '../conversations/ratings/rating-route.js';

/** Wire shapes of the operator API (also the payloads of GET /v1/events). */
export const citationSchema = z.object({
  sourceId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  url: z.string().optional(),
  /** The answer's `[n]` markers that cite this source (model answers); see the contract's Citation. */
  markers: z.array(z.number().int()).optional(),
});

export const conversationSummarySchema = z
  .object({
    id: z.uuid(),
    agentId: z.uuid(),
    status: z.enum(conversationStatuses),
    assigneeId: z.uuid().nullable(),
    assigneeName: z.string().nullable(),
    handoffReason: z.enum(handoffReasons).nullable(),
    createdAt: z.string(),
    lastMessageAt: z.string().nullable(),
    ephemeral: z
      .boolean()
      .describe("Its agent stores no transcripts: text is held in the server's memory only while open"),
  })
  .meta({ id: 'ConversationSummary' });

export const messageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    role: z.enum(messageRoles),
    text: z.string(),
    internal: z.boolean(),
    authorId: z.uuid().nullable(),
    authorName: z.string().nullable(),
    systemEvent: z.enum(systemEvents).nullable(),
    citations: z.array(citationSchema),
    createdAt: z.string(),
    ephemeral: z
      .literal(true)
      .optional()
      .describe('Held in server memory only; text "" once no longer held (show "Not stored")'),
    spoken: z
      .literal(true)
      .optional()
      .describe("A visitor message given by voice: its text is the speech transcriber's (no audio kept)"),
  })
  .meta({ id: 'ConversationMessage' });

export const listItemSchema = conversationSummarySchema
  .extend({
    lastMessageAt: z.string(),
    preview: z.string(),
    unread: z.number().int(),
    rating: z.number().int().nullable().describe("The visitor's satisfaction score (1–5), null until rated"),
  })
  .meta({ id: 'ConversationListItem' });

export const detailSchema = conversationSummarySchema
  .extend({
    origin: z.string().nullable(),
    pageUrl: z.string().nullable().describe('The page the chat started on: origin and path only'),
    language: z.string().nullable().describe("The visitor's preferred language (BCP 47)"),
    contactEmail: z.string().nullable().describe('Left by the visitor with consent, for replies by email'),
    legalHold: z
      .object({ since: z.string(), reason: z.string() })
      .nullable()
      .describe('Set while a legal hold keeps the conversation out of the retention purge'),
    identity: z
      .object({
        userId: z.string(),
        email: z.string().nullable(),
        name: z.string().nullable(),
        verifiedAt: z.string(),
      })
      .nullable()
      .describe('Who the host site said the visitor is (Confidant.identify, signature verified)'),
    messages: z.array(messageSchema),
    rating: ratingSchema.nullable().describe("The visitor's satisfaction rating, once given"),
    handoffDetail: z
      .object({
        reason: z.enum(MODEL_HANDOFF_REASONS),
        summary: z.string().nullable().describe("The model's one sentence for the person taking over"),
      })
      .nullable()
      .describe('Why the model handed the conversation over (its handoff tool call), while handed over'),
  })
  .meta({ id: 'ConversationDetail' });

export const cannedResponseSchema = z
  .object({
    id: z.uuid(),
    shortcut: z.string(),
    text: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CannedResponse' });

export const relatedConversationsSchema = z
  .object({
    identifiedBy: z
      .enum(['contact_email'])
      .nullable()
      .describe('How the visitor was recognised; null: no identifier, so nothing is linked'),
    conversations: z.array(
      conversationSummarySchema.pick({ id: true, status: true, createdAt: true }).extend({
        lastMessageAt: z.string(),
        preview: z.string(),
      }),
    ),
  })
  .meta({ id: 'RelatedConversations' });
