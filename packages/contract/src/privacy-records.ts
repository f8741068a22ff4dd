/**
 * Records of processing (GDPR Art. 30), generated per request from the data map and the live
 * configuration: GET /v1/privacy/records, GET /v1/privacy/subprocessors and the per-agent
 * privacy notice (GET /v1/agents/{id}/privacy-notice).
 */

/** One table of the data map as a processing activity. */
export type ProcessingActivity = {
  table: string;
  purpose: string;
  /** Whose data the rows are about. */
  subjects: 'visitor' | 'user' | 'none';
  /** Data categories of its columns (e.g. user.contact.email), sorted. */
  dataCategories: string[];
  /** Retention categories of its columns, each with the period in force for this org. */
  retention: RecordsRetention[];
  /** Columns stored only as envelope-encrypted ciphertext. */
  encryptedColumns: string[];
};

export type RecordsRetention = {
  category: string;
  description: string;
  /** Days the purge enforces for this org; null = no period (kept as the description says). */
  days: number | null;
};

/** A sub-processor or other recipient actually enabled for the org (never a credential). */
export type Subprocessor = {
  /** Stable id within the records: `model_provider:<id>`, `operator_model`, `smtp`, … */
  id: string;
  name: string;
  kind:
    | 'model_provider'
    | 'embedding_provider'
    | 'email'
    | 'object_storage'
    | 'chat_notifications'
    | 'webhook';
  /** Who configured it: the organization (console/API) or the operator (environment). */
  configuredBy: 'organization' | 'operator';
  purpose: string;
  /** Host name (and port) only: never a path, query or user info. null when not known. */
  host: string | null;
  /** Region as configured; null = unknown. */
  region: string | null;
  dataCategories: string[];
  /** ISO time the org configured it, when known. */
  since: string | null;
};

export type Transfer = {
  subprocessorId: string;
  name: string;
  region: string | null;
  /** same_region / outside_region when both regions are known; otherwise unknown. */
  assessment: 'same_region' | 'outside_region' | 'unknown';
  note: string;
};

export type TechnicalMeasure = {
  id: string;
  title: string;
  inForce: boolean;
  detail: string;
};

export type ProcessingRecords = {
  generatedAt: string;
  controller: { orgId: string; name: string };
  /** Where the operator says data is hosted (CONFIDANT_HOSTING_REGION); null = not stated. */
  hostingRegion: string | null;
  activities: ProcessingActivity[];
  retention: { category: string; label: string; days: number | null; isDefault: boolean }[];
  subprocessors: Subprocessor[];
  transfers: Transfer[];
  measures: TechnicalMeasure[];
  agents: { id: string; name: string; answerMode: string; ephemeral: boolean; handoff: boolean }[];
};

export type Subprocessors = { generatedAt: string; subprocessors: Subprocessor[] };

/** GET /v1/agents/{id}/privacy-notice (JSON); `?format=md|html` answers with the text alone. */
export type PrivacyNotice = {
  agentId: string;
  /** The notice as plain-text paragraphs (for display). */
  paragraphs: string[];
  markdown: string;
  html: string;
};
