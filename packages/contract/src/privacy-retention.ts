/** The retention API (GET|PUT /v1/privacy/retention, POST /v1/privacy/retention/run). */
export type RetentionCategory =
  | 'transcripts'
  | 'contacts'
  | 'notification_outbox'
  | 'model_calls'
  | 'job_payloads';

export type RetentionRule = {
  category: RetentionCategory;
  /** The period the organization chose (or the default); null = keep. */
  days: number | null;
  isDefault: boolean;
  defaultDays: number;
  /** Whether null (keep) is accepted for this category. */
  keepAllowed: boolean;
  /** The lowest limit set by the reseller or the platform, if any. */
  maxDays: number | null;
  /** What the purge enforces: min(days, maxDays); null = kept. */
  effectiveDays: number | null;
  label: string;
  description: string;
};

export type Retention = { rules: RetentionRule[] };

/** POST /v1/privacy/retention/run?dryRun=true: rows per table a run would delete now. */
export type PurgePreview = { dryRun: true; counts: Record<string, number> };
/** POST /v1/privacy/retention/run: the queued run (counts per table go to the audit log). */
export type PurgeRun = { runId: string; status: 'queued' };
