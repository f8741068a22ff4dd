/**
 * The data map vocabulary. Every column of every table declares what kind of data it holds,
 * whether it links to a data subject, how long it is kept and what erasure does to it.
 * Export, erasure, retention purge and the records of processing are driven by these entries;
 * data-map.test.ts fails when a live column is missing.
 */
export const dataCategories = [
  'user.contact.email',
  'user.contact.name',
  'user.content.chat',
  'user.credential.password',
  'user.credential.secret',
  'user.session',
  'user.device',
  'user.identifier',
  'org.config',
  'org.content.knowledge',
  'org.content.note',
  'org.credential.secret',
  'org.identifier',
  'system.audit',
  'system.metrics',
  'system.operations',
  'system.identifier',
] as const;
export type DataCategory = (typeof dataCategories)[number];

export const retentionCategories = {
  /** Kept while the organization exists; deleted with it. */
  org_lifetime: 'Kept while the organization exists',
  /** Kept while the console user's account exists. */
  account_lifetime: 'Kept while the user account exists',
  /** Conversation transcripts: purged after the org's retention period (30 days by default). */
  transcripts: 'Kept for the transcript retention period (default 30 days)',
  /** Contact details a visitor left with consent: purged after the org's period (never after the transcript). */
  contacts: 'Kept for the contact-details retention period (default 30 days)',
  /** The notification outbox (emails, Slack messages): purged after the org's period. */
  notification_outbox: 'Kept for the notification-outbox retention period (default 30 days)',
  /** Model-call metering records: purged after the org's period (rolled into daily aggregates first). */
  model_calls: 'Kept for the model-call records retention period (default 365 days)',
  /** Finished jobs in the queue's schema (ids only): purged after the org's period. */
  job_payloads: 'Kept for the job-payload retention period (default 7 days)',
  /** Call audio (modules/calls/): purged after the org's period (default 90 days). */
  recordings: 'Kept for the recordings retention period (default 90 days)',
  /** Call transcripts, scores, metrics and coaching: purged after the org's period (default 365 days). */
  call_transcripts: 'Kept for the call-transcript retention period (default 365 days)',
  /** Sign-in sessions and short-lived tokens: until they expire. */
  until_expiry: 'Kept until it expires',
  /** The audit log: kept for the life of the org (append-only, tamper-evident). */
  audit: 'Kept for the life of the organization; never altered',
  /** Usage metering: counts only, no personal data. */
  metrics: 'Kept for billing and analytics; holds no personal data',
  /** Process state with no personal data. */
  system: 'Kept while the installation runs',
} as const;
export type RetentionCategory = keyof typeof retentionCategories;

export const erasureActions = ['delete_row', 'null', 'hash', 'crypto_shred', 'keep'] as const;
export type ErasureAction = (typeof erasureActions)[number];

export type ColumnPolicy = {
  category: DataCategory;
  /** True when the value identifies or is linked to a data subject (visitor or console user). */
  subject: boolean;
  retention: RetentionCategory;
  /** What erasure of the data subject does to this column. */
  erasure: ErasureAction;
  /** Stored only as envelope-encrypted ciphertext (crypto/envelope.ts). */
  encrypted?: true;
};

/**
 * How the rows of a table in an expiring retention category leave (the retention purge reads
 * this, modules/privacy/retention/purge-plan.ts). The row's category is the retention category
 * of its age column (or of the conversation column when it only follows its conversation).
 */
export type RowExpiry = {
  /** Timestamp columns whose first non-null value is the row's age (e.g. last activity, creation). */
  age?: readonly string[];
  /** The row belongs to a conversation: it goes when the conversation does, and never while it is held. */
  conversation?: string;
};

export type TablePolicy = {
  purpose: string;
  /** Whose data the table's rows are about, if anyone's. */
  subject: 'visitor' | 'user' | 'none';
  columns: Record<string, ColumnPolicy>;
  /** Present on tables whose rows expire by an org's retention rule. */
  expiry?: RowExpiry;
};

export type DataMap = Record<string, TablePolicy>;

/** Shorthand for column entries. */
export const col = (
  category: DataCategory,
  retention: RetentionCategory,
  erasure: ErasureAction,
  options: { subject?: boolean; encrypted?: true } = {},
): ColumnPolicy => ({
  category,
  subject: options.subject ?? false,
  retention,
  erasure,
  ...(options.encrypted ? { encrypted: true as const } : {}),
});
