import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const config = col('org.config', 'org_lifetime', 'keep');
const metric = col('system.metrics', 'metrics', 'keep');

/** Retention rules and caps, and the anonymized daily aggregates the purge keeps. */
export const retentionDataMap: DataMap = {
  retention_rules: {
    purpose: "An organization's retention period per retention category",
    subject: 'none',
    columns: {
      org_id: orgRef,
      category: config,
      days: config,
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  retention_caps: {
    purpose: 'Maximum retention periods a reseller or the platform set for an organization',
    subject: 'none',
    columns: {
      org_id: orgRef,
      category: config,
      set_by_org_id: orgRef,
      max_days: config,
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  usage_limits: {
    purpose: 'Monthly usage limits an organization set for itself or a reseller/platform capped it at',
    subject: 'none',
    columns: {
      org_id: orgRef,
      set_by_org_id: orgRef,
      monthly_messages: config,
      monthly_tokens: config,
      monthly_cost_usd: config,
      updated_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  usage_notices: {
    purpose: 'Which usage thresholds (80%, 100%) the admins were notified of each month, so once only',
    subject: 'none',
    columns: {
      org_id: orgRef,
      month: col('system.operations', 'org_lifetime', 'keep'),
      threshold: col('system.operations', 'org_lifetime', 'keep'),
      created_at: col('system.operations', 'org_lifetime', 'keep'),
    },
  },
  daily_aggregates: {
    purpose: 'Anonymized daily counts kept after transcripts are purged (numbers only, no ids of visitors)',
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: metric,
      day: metric,
      agent_id: metric,
      conversations: metric,
      messages: metric,
      handoffs: metric,
      resolved_without_person: metric,
      first_response_seconds: metric,
      csat_sum: metric,
      csat_count: metric,
      csat_1: metric,
      csat_2: metric,
      csat_3: metric,
      csat_4: metric,
      csat_5: metric,
      tokens_in: metric,
      tokens_out: metric,
      audio_seconds: metric,
      characters: metric,
      answers_model: metric,
      answers_extractive: metric,
      answers_handoff: metric,
      model: metric,
      provider_id: metric,
      provider_kind: metric,
      cost_usd: metric,
      created_at: metric,
    },
  },
};
