import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { blobs } from './knowledge.js';
import { organizations } from './organizations.js';

export const answerModes = ['extractive', 'model'] as const;
export type AnswerMode = (typeof answerModes)[number];

/** Where the widget may keep a conversation in the visitor's browser (packages/contract `Persistence`). */
export const persistenceModes = ['none', 'tab', 'device'] as const;
export type PersistenceMode = (typeof persistenceModes)[number];

/** Which bottom corner of the visitor's page the widget's launcher and panel sit in. */
export const widgetPositions = ['bottom-right', 'bottom-left'] as const;
export type WidgetPosition = (typeof widgetPositions)[number];
/** The accent a new agent gets (the widget's own default). */
export const DEFAULT_ACCENT_COLOR = '#0f766e';
/**
 * Voice in the widget (modules/voice/): off unless enabled with both a transcription and a speech
 * model of the org's own providers (checked on write, modules/agents/voice-settings.ts).
 * `recordAudio`: the visitor may consent to keeping the turn's audio (encrypted, `recordings`
 * retention); without it audio lives in memory for the turn only.
 */
export type AgentVoiceSettings = {
  enabled: boolean;
  transcription: { providerId: string; model: string } | null;
  speech: { providerId: string; model: string; voice?: string } | null;
  recordAudio: boolean;
};
export const VOICE_OFF: AgentVoiceSettings = {
  enabled: false,
  transcription: null,
  speech: null,
  recordAudio: false,
};
/** The stored shape; validated by modules/agents/business-hours.ts before it is written. */
export type StoredBusinessHours = { timezone: string; weekly: Partial<Record<string, [string, string][]>> };

/** A model an agent answers with (model-providers/{id} of the same org). */
export type AgentModelChoice = {
  providerId: string;
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
};

/** An AI agent: persona, greeting, starters, where its widget may be embedded, how it answers. */
export const agents = pgTable(
  'agents',
  {
    orgId: orgId(),
    id: id(),
    name: text('name').notNull(),
    instructions: text('instructions').notNull().default(''),
    greeting: text('greeting').notNull().default(''),
    starters: jsonb('starters').$type<string[]>().notNull().default([]),
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
    publishableKey: text('publishable_key').notNull(),
    answerMode: text('answer_mode', { enum: answerModes }).notNull().default('extractive'),
    handoffEnabled: boolean('handoff_enabled').notNull().default(true),
    persistence: text('persistence', { enum: persistenceModes }).notNull().default('tab'),
    /**
     * false = an ephemeral agent: its conversations' text lives only in server memory while
     * open (modules/conversations/ephemeral-transcripts.ts); no text or visitor detail is stored.
     */
    storeTranscripts: boolean('store_transcripts').notNull().default(true),
    /**
     * The model that answers in model mode: one of the org's providers and a model there; null =
     * the org's default provider. `fallbacks` are tried in order when it fails, then the
     * extractive answerer (answers/engine.ts).
     */
    model: jsonb('model').$type<AgentModelChoice | null>(),
    fallbacks: jsonb('fallbacks').$type<AgentModelChoice[]>().notNull().default([]),
    /** Weekly opening hours in an IANA time zone (modules/agents/business-hours.ts); null = always. */
    businessHours: jsonb('business_hours').$type<StoredBusinessHours>(),
    /** Voice in the widget; off by default (AgentVoiceSettings). */
    voice: jsonb('voice').$type<AgentVoiceSettings>().notNull().default(VOICE_OFF),
    /** Appearance of the widget (modules/agents/appearance.ts). #rrggbb, lower case. */
    accentColor: text('accent_color').notNull().default(DEFAULT_ACCENT_COLOR),
    position: text('position', { enum: widgetPositions }).notNull().default('bottom-right'),
    /** Text beside the launcher's icon; null = the icon alone. */
    launcherLabel: text('launcher_label'),
    /** SHA-256 of the avatar image in the org's blob store; the foreign key keeps the blob while used. */
    avatarHash: text('avatar_hash'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    uniqueIndex('agents_publishable_key_idx').on(t.publishableKey),
    check('agents_answer_mode_check', sql`${t.answerMode} in ('extractive','model')`),
    check('agents_persistence_check', sql`${t.persistence} in ('none','tab','device')`),
    check('agents_position_check', sql`${t.position} in ('bottom-right','bottom-left')`),
    check('agents_accent_color_check', sql`${t.accentColor} ~ '^#[0-9a-f]{6}$'`),
    foreignKey({ columns: [t.orgId, t.avatarHash], foreignColumns: [blobs.orgId, blobs.hash] }),
  ],
);

export type AgentRow = typeof agents.$inferSelect;
