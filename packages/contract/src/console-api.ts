import type { ConversationSummary, InboxMessage } from './inbox-events.js';
import type { ModelProviderKind, ProviderModelType } from './model-provider-kinds.js';
import type { ConversationRating, HandoffDetail } from './ratings-api.js';

/** Wire shapes of the operator and console API the console reads (mirrors the server's zod schemas). */

export type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** GET /v1/me: the signed-in person and every organization they belong to. */
export type Me = {
  id: string;
  email: string;
  name: string;
  twoFactorEnabled: boolean;
  /** Only while the account is scheduled for deletion (POST /v1/me/restore undoes it until hardDeleteAfter). */
  deletionScheduledAt?: string;
  hardDeleteAfter?: string;
  /**
   * Direct memberships first, then the client orgs the person opens through a reseller they
   * belong to (`via`: that reseller; role capped at admin). The deletion dates are there only
   * while the org is scheduled for deletion.
   */
  memberships: {
    orgId: string;
    orgName: string;
    role: Role;
    via?: { orgId: string; orgName: string };
    deletionScheduledAt?: string;
    hardDeleteAfter?: string;
  }[];
};

/** 202 of DELETE /v1/orgs/{id} and DELETE /v1/me: when it was scheduled, when it is erased. */
export type DeletionSchedule = { deletionScheduledAt: string; hardDeleteAfter: string };

/** The inbox views of GET /v1/conversations?view=… and GET /v1/conversations/counts. */
export type InboxView = 'all' | 'mine' | 'unassigned' | 'waiting' | 'ai' | 'human' | 'closed';
export type InboxCounts = Record<InboxView, number>;

export type ConversationListItem = ConversationSummary & {
  lastMessageAt: string;
  /** The last visitor-visible line, shortened by the server. */
  preview: string;
  /** Messages the caller has not read yet (console users). */
  unread: number;
  /** The visitor's satisfaction score (1–5), once they rated the conversation. */
  rating?: number | null;
};

export type ConversationList = { conversations: ConversationListItem[]; nextCursor: string | null };

/** GET /v1/conversations/{id}: the summary with the whole transcript, notes and system lines included. */
export type ConversationDetail = ConversationSummary & {
  origin: string | null;
  /** The page the chat started on: origin and path only. */
  pageUrl: string | null;
  /** The visitor's preferred language (BCP 47), from the browser. */
  language: string | null;
  /** The address the visitor left with consent, for replies by email; null otherwise. */
  contactEmail: string | null;
  /** Set while a legal hold keeps the conversation out of the retention purge (admins place it). */
  legalHold: { since: string; reason: string } | null;
  /** Who the host site said the visitor is (Confidant.identify, signature verified); null if not. */
  identity: { userId: string; email: string | null; name: string | null; verifiedAt: string } | null;
  messages: InboxMessage[];
  /** The visitor's satisfaction rating, once given. */
  rating?: ConversationRating | null;
  /** The model's handoff request (reason, summary) while the conversation waits or is owned. */
  handoffDetail?: HandoffDetail | null;
};

/**
 * GET /v1/conversations/{id}/related: the visitor's other conversations in the org, linked only
 * by an email address left with consent in each; `identifiedBy` null means nothing can be linked.
 */
export type RelatedConversations = {
  identifiedBy: 'contact_email' | null;
  conversations: {
    id: string;
    status: ConversationSummary['status'];
    createdAt: string;
    lastMessageAt: string;
    preview: string;
  }[];
};

export type CannedResponse = {
  id: string;
  shortcut: string;
  text: string;
  createdAt: string;
  updatedAt: string;
};

/** GET /v1/members */
export type Member = { userId: string; email: string; name: string; role: Role; createdAt: string };

/** GET /v1/api-keys: an org API key as listed (the secret itself is shown once, at creation). */
export type ApiKey = {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** POST /v1/api-keys answers the key once, with its secret. */
export type CreatedApiKey = ApiKey & { key: string };

/** GET /v1/invitations: an invitation to join the organization with a role. */
export type Invitation = {
  id: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
};

/** POST /v1/invitations answers the one-time token once (only its hash is stored). */
/**
 * A new invitation: the one-time token (shown once) and where its email went — `smtp` (sent to
 * the invitee) or `outbox` (no email server: kept in the dev outbox for admins).
 */
export type CreatedInvitation = Invitation & { token: string; emailDelivery: 'smtp' | 'outbox' };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Weekly opening hours in an IANA time zone; ranges are ["HH:MM", "HH:MM"], a day without ranges is closed. */
export type BusinessHours = { timezone: string; weekly: Partial<Record<Weekday, [string, string][]>> };

/** GET /v1/agents, /v1/agents/{id}: an agent as the console edits it. */
export type Agent = {
  id: string;
  name: string;
  instructions: string;
  greeting: string;
  starters: string[];
  allowedOrigins: string[];
  /** Public: the key the widget's script tag carries. */
  publishableKey: string;
  answerMode: 'extractive' | 'model';
  handoffEnabled: boolean;
  persistence: 'none' | 'tab' | 'device';
  /** false = ephemeral: message text only in server memory while the conversation is open. */
  storeTranscripts: boolean;
  businessHours: BusinessHours | null;
  /** Widget appearance: #rrggbb accent, corner, launcher text (null = icon only). */
  accentColor: string;
  position: 'bottom-right' | 'bottom-left';
  launcherLabel: string | null;
  /** The model that answers in Model mode (null: the org's default provider), then the fallbacks in order. */
  model: AgentModelChoice | null;
  fallbacks: AgentModelChoice[];
  /** Voice in the widget (microphone, spoken answers); off by default. */
  voice: AgentVoiceSettings;
  /** Set through PUT/DELETE /v1/agents/{id}/avatar; a path on this server, or null. */
  avatarUrl: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * An agent's voice: a transcription and a speech model of the org's own providers (both needed to
 * enable it), the speech provider's voice name. `recordAudio`: visitors are offered to keep recordings
 * of their voice messages; the server keeps one only with their granted consent.
 */
export type AgentVoiceSettings = {
  enabled: boolean;
  transcription: { providerId: string; model: string } | null;
  speech: { providerId: string; model: string; voice?: string } | null;
  recordAudio: boolean;
};

/** One of the org's model providers (GET /v1/model-providers) and a chat model there. */
export type AgentModelChoice = {
  providerId: string;
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
};

/** PATCH /v1/agents/{id}: any subset of the editable fields (voice has its own card and save: { voice }). */
export type AgentChanges = Partial<
  Omit<Agent, 'id' | 'publishableKey' | 'avatarUrl' | 'createdAt' | 'updatedAt' | 'voice'>
>;

/** GET/PUT /v1/model-provider: the org's OpenAI-compatible endpoint. The key is write-only. */
export type ModelProvider = { baseUrl: string; model: string; hasApiKey: boolean; updatedAt: string };
/** PUT body: `apiKey` omitted keeps the stored key, null clears it. */
export type ModelProviderChanges = { baseUrl: string; model: string; apiKey?: string | null };

/**
 * A model the org uses at a provider: chat models answer, embedding models index knowledge,
 * transcription models turn speech into text, speech models read text aloud.
 */
export type ProviderModel = { id: string; type: ProviderModelType };

/** One entry of GET /v1/model-providers (oldest first; the first is the org's default provider). */
export type ModelProviderEntry = {
  id: string;
  kind: ModelProviderKind;
  name: string;
  /** null: the kind's public endpoint. */
  baseUrl: string | null;
  /** Amazon Bedrock's AWS region. */
  region: string | null;
  models: ProviderModel[];
  /** How long one attempt may wait for the first token (1000–120000 ms; default 30000). */
  timeoutMs: number;
  /** Retries before the first token after a retryable failure (0–3; default 1). */
  maxRetries: number;
  hasApiKey: boolean;
  createdAt: string;
  updatedAt: string;
};
/**
 * POST /v1/model-providers (all but `apiKey` required) and PATCH /v1/model-providers/{id} (any
 * subset): `apiKey` omitted keeps the stored key, null clears it; `baseUrl`/`region` null unset them.
 */
export type ModelProviderEntryChanges = {
  kind: ModelProviderKind;
  name: string;
  baseUrl: string | null;
  region: string | null;
  models: ProviderModel[];
  /** 1000–120000; omitted on POST: 30000, on PATCH: unchanged. */
  timeoutMs?: number;
  /** 0–3; omitted on POST: 1, on PATCH: unchanged. */
  maxRetries?: number;
  apiKey?: string | null;
};
/** POST /v1/model-providers/{id}/test: `error` says in words what went wrong. */
export type ModelProviderTestResult = { ok: boolean; model: string; latencyMs: number; error: string | null };

/** GET/PUT /v1/notifications/settings (admins): the Slack webhook URL is write-only. */
export type NotificationSettings = { hasSlackWebhook: boolean; previews: boolean };
export type NotificationSettingsChanges = { slackWebhookUrl?: string | null; previews?: boolean };

/** GET/PUT /v1/notifications/preferences: the signed-in person's own, per organization. */
export type NotificationPreferences = {
  waitingConversation: boolean;
  assignedToMe: boolean;
  replyInMyConversation: boolean;
};
