import { col, type DataMap } from '../data-map-types.js';

const orgRef = col('org.identifier', 'org_lifetime', 'keep');
const config = col('org.config', 'org_lifetime', 'keep');
const ops = () => col('system.operations', 'org_lifetime', 'keep');
/** The call log follows transcripts: it goes with its conversation, or by age (admin tests). */
const log = (category: Parameters<typeof col>[0] = 'system.operations') =>
  col(category, 'transcripts', 'keep');

/** Agents' HTTP actions (tools) and the log of their calls (modules/actions/). */
export const actionsDataMap: DataMap = {
  agent_actions: {
    purpose: "An agent's HTTP actions the model may call as tools, with encrypted header values",
    subject: 'none',
    columns: {
      org_id: orgRef,
      id: col('system.identifier', 'org_lifetime', 'keep'),
      agent_id: col('system.identifier', 'org_lifetime', 'keep'),
      name: config,
      description: config,
      method: config,
      url_template: config,
      parameters: config,
      header_names: config,
      headers_ciphertext: col('org.credential.secret', 'org_lifetime', 'crypto_shred', { encrypted: true }),
      requires_approval: config,
      enabled: config,
      timeout_ms: config,
      max_response_bytes: config,
      created_at: ops(),
      updated_at: ops(),
    },
  },
  action_calls: {
    purpose:
      'The log of action calls: tool, time, duration, outcome, HTTP status and parameters with sensitive fields removed; never headers or response bodies',
    subject: 'visitor',
    columns: {
      org_id: orgRef,
      id: log('system.identifier'),
      action_id: log('system.identifier'),
      agent_id: log('system.identifier'),
      action_name: log(),
      conversation_id: col('user.identifier', 'transcripts', 'delete_row', { subject: true }),
      source: log(),
      outcome: log(),
      http_status: log(),
      duration_ms: log(),
      response_bytes: log(),
      // What the model passed (an order number, a visitor's email…): the visitor's data.
      parameters: col('user.content.chat', 'transcripts', 'delete_row', { subject: true }),
      pending_parameters_ciphertext: col('user.content.chat', 'transcripts', 'delete_row', {
        subject: true,
        encrypted: true,
      }),
      decided_by_id: col('user.identifier', 'transcripts', 'null'),
      decided_at: log(),
      created_at: log(),
    },
    expiry: { age: ['created_at'], conversation: 'conversation_id' },
  },
};
