/** Wire types of the console's admin pages: the audit log (GET /v1/audit, /v1/audit/verify) and usage. */

/** One entry of the organization's audit log (metadata holds counts and ids, never content). */
export type AuditEntry = {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, string | number | boolean | null>;
  hash: string;
};

/** A page of entries, newest first; pass nextCursor as `cursor` for the next (older) page. */
export type AuditPage = { entries: AuditEntry[]; nextCursor: number | null };

/** The chain recomputed now: the first bad entry, if any. */
export type AuditVerification = {
  verified: boolean;
  entries: number;
  problem: { seq: number; kind: 'broken' | 'key_missing'; reason: string } | null;
  checkedAt: string;
};

/**
 * A signed checkpoint of the audit chain (GET|POST /v1/audit/checkpoints): the head's seq and hash,
 * signed with Ed25519 over canonical JSON { v: 1, orgId, seq, headHash, signedAt }.
 */
export type AuditCheckpoint = {
  orgId: string;
  seq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  /** SPKI PEM of the signing key. */
  publicKey: string;
  /** Base64 signature. */
  signature: string;
};

/** Checkpoints newest first, with the key that signs new ones; `nextBefore` pages back. */
export type AuditCheckpointPage = {
  signingKey: { keyId: string; publicKey: string };
  checkpoints: AuditCheckpoint[];
  nextBefore: number | null;
};

/** One UTC day of usage (GET /v1/usage/daily). */
export type UsageDay = {
  day: string;
  conversations: number;
  handoffs: number;
  resolvedWithoutPerson: number;
  medianFirstResponseSeconds: number | null;
  tokensIn: number;
  tokensOut: number;
};

/**
 * Usage measures (GET /v1/usage). Cost is null ("unknown", never 0) when tokens were used and none
 * was priced; with no model calls it is 0.
 */
export type UsageMeasures = {
  tokensIn: number;
  tokensOut: number;
  cachedTokensIn: number;
  costUsd: number | null;
  unpricedTokens: number;
  /** Seconds of audio transcribed and characters spoken (speech models), and their unpriced part. */
  audioSeconds: number;
  characters: number;
  unpricedAudioSeconds: number;
  unpricedCharacters: number;
  messages: number | null;
  conversations: number | null;
  answers: { model: number; extractive: number; handoff: number } | null;
};
export type UsageGroupBy = 'day' | 'agent' | 'model' | 'provider';
export type UsageReport = {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  totals: UsageMeasures;
  series: (UsageMeasures & { key: string | null; label: string })[];
};

/** Monthly usage limits (GET|PUT /v1/usage/limits); null = no limit. */
export type UsageLimits = {
  monthlyMessages: number | null;
  monthlyTokens: number | null;
  monthlyCostUsd: number | null;
};
export type UsageLimitsView = {
  own: UsageLimits;
  caps: UsageLimits;
  effective: UsageLimits;
  month: {
    month: string;
    used: { messages: number; tokens: number; costUsd: number };
    limits: UsageLimits;
    percent: number | null;
  };
};
